"""Signing up with an address that has an account looks the same; its holder is told by email."""

from __future__ import annotations

from django.test import Client

from aescrm.accounts.models import Clinic, PendingSignup, User
from aescrm.accounts.tests.signup_support import (
    sign_up,
)
from aescrm.testing.fakes.postmark import FakePostmark


def test_a_known_address_gets_the_same_page_and_a_sign_in_email(
    db: object, platform_mail: FakePostmark
) -> None:
    User.objects.create_user("known@example.org", "an older password 1234")

    new = sign_up(Client(), email="new@example.org")
    known = sign_up(Client(), email="Known@Example.org")

    assert (known.status_code, known["Location"]) == (new.status_code, new["Location"])
    page_known = Client().get("/signup/sent").content.decode()
    assert "already" not in page_known
    [email] = platform_mail.sent_to("known@example.org")
    assert email["Subject"] == "You already have an AES-CRM account"
    assert "/sign-in" in email["TextBody"] and "/signup/verify/" not in email["TextBody"]
    assert not PendingSignup.objects.filter(email="known@example.org").exists()
    assert User.objects.get(email="known@example.org").check_password("an older password 1234")
    assert Clinic.objects.count() == 0
