"""Settings → Team → Invite: the invitee gets an email from AES-CRM with a link; following it
makes them a member with the role chosen, with a new account or the one they have."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from aescrm.accounts.models import Invitation, Membership, User
from aescrm.accounts.team import hash_token
from aescrm.accounts.tests.team_support import NEW_PASSWORD, account_mail, invite, link_in
from aescrm.testing.fixtures import PASSWORD
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db


def test_the_invitee_gets_an_email_and_joins_with_a_new_account(clinic_a: Any) -> None:
    owner = member_client(clinic_a, "owner")
    clinic_a.users["owner"].full_name = "Priya Shah"
    clinic_a.users["owner"].save()
    with account_mail() as postmark:
        response = owner.post(
            "/settings/team", {"email": "New.Nurse@Example.com", "role": "receptionist"}
        )

        [email] = postmark.sent_to("new.nurse@example.com")
    assert response.status_code == 302
    assert email["Subject"] == "You are invited to join Alpha Dental on AES-CRM"
    assert (
        "Priya Shah has invited you to join Alpha Dental on AES-CRM as Receptionist."
        in (email["TextBody"])
    )
    assert "The link works once and expires on" in email["TextBody"]
    path = link_in(email)
    invitation = Invitation.objects.get(clinic=clinic_a.clinic)
    # Only the token's hash is kept.
    assert invitation.token_hash == hash_token(path.rsplit("/", 1)[1])
    assert path.rsplit("/", 1)[1] not in str(Invitation.objects.values().get())
    page = text(owner.get("/settings/team"))
    assert "new.nurse@example.com" in page and "Resend" in page

    invitee = Client()
    form = invitee.get(path)
    assert form.status_code == 200
    assert form["Cache-Control"] == "no-store"
    assert "Create your account. You will sign in with new.nurse@example.com." in text(form)
    joined = invitee.post(path, {"full_name": "Nia Evans", "password": NEW_PASSWORD})

    user = User.objects.get(email="new.nurse@example.com")
    assert joined.status_code == 302 and joined["Location"] == "/"
    assert user.full_name == "Nia Evans"
    assert user.password.startswith("argon2$argon2id$")
    assert Membership.objects.get(user=user).role == "receptionist"
    assert Membership.objects.get(user=user).clinic == clinic_a.clinic
    invitation.refresh_from_db()
    assert invitation.accepted_by == user and invitation.accepted_at is not None
    # The account holds the address now; the invitation keeps no copy.
    assert invitation.email == ""
    # Signed in, in the clinic just joined.
    assert "Welcome to Alpha Dental." in text(invitee.get("/"))
    # And the password works on the sign-in page.
    again = Client().post("/sign-in", {"email": "new.nurse@example.com", "password": NEW_PASSWORD})
    assert again.status_code == 302


def test_a_weak_password_is_refused_with_the_reason(clinic_a: Any) -> None:
    with account_mail() as postmark:
        _, path = invite(postmark, clinic_a, "someone@example.com", "clinician")

    response = Client().post(path, {"full_name": "Sam Lee", "password": "password1234"})

    assert response.status_code == 400
    assert "This password is too common." in text(response)
    short = Client().post(path, {"full_name": "Sam Lee", "password": "short"})
    assert "at least 12 characters" in text(short)
    missing = Client().post(path, {"full_name": "", "password": NEW_PASSWORD})
    assert missing.status_code == 400
    assert not User.objects.filter(email="someone@example.com").exists()


def test_a_new_manager_sets_up_two_factor_before_anything_else(clinic_a: Any) -> None:
    with account_mail() as postmark:
        _, path = invite(postmark, clinic_a, "manager2@example.com", "manager")
    invitee = Client()

    assert "you will set up an authenticator app next" in text(invitee.get(path))
    joined = invitee.post(path, {"full_name": "Ola Berg", "password": NEW_PASSWORD})

    assert joined["Location"] == "/sign-in/two-factor?next=/"
    assert invitee.get("/patients/")["Location"].startswith("/sign-in/two-factor")


def test_someone_with_an_account_signs_in_as_it_and_joins(clinic_a: Any, clinic_b: Any) -> None:
    """A receptionist at Bravo is invited to Alpha too: same account, one more clinic."""
    colleague = clinic_b.users["receptionist"]
    with account_mail() as postmark:
        _, path = invite(postmark, clinic_a, colleague.email.upper(), "clinician")
    visitor = Client()

    page = visitor.get(path)
    assert "You already have an AES-CRM account with this email address." in text(page)
    assert f'href="/sign-in?next={path}"' in text(page)
    signed_in = visitor.post(
        "/sign-in", {"email": colleague.email, "password": PASSWORD, "next": path}
    )
    assert signed_in["Location"] == path
    assert "Join Alpha Dental" in text(visitor.get(path))
    joined = visitor.post(path)

    assert joined.status_code == 302
    assert Membership.objects.get(user=colleague, clinic=clinic_a.clinic).role == "clinician"
    assert Membership.objects.get(user=colleague, clinic=clinic_b.clinic).role == "receptionist"
    assert User.objects.filter(email=colleague.email).count() == 1
    assert "Welcome to Alpha Dental." in text(visitor.get("/"))


def test_signed_in_as_someone_else_the_link_changes_nothing(clinic_a: Any, clinic_b: Any) -> None:
    with account_mail() as postmark:
        invitation, path = invite(postmark, clinic_a, "invitee@example.com", "marketer")
    intruder = member_client(clinic_b, "receptionist")

    page = intruder.get(path)
    posted = intruder.post(path, {"full_name": "X", "password": NEW_PASSWORD})

    assert page.status_code == 403 and posted.status_code == 403
    assert "but this invitation is for invitee@example.com" in text(page)
    assert not Membership.objects.filter(
        clinic=clinic_a.clinic, user=clinic_b.users["receptionist"]
    ).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_it_will_not_invite_a_member_twice(clinic_a: Any) -> None:
    owner = member_client(clinic_a, "owner")
    with account_mail() as postmark:
        owner.post("/settings/team", {"email": "twice@example.com", "role": "clinician"})
        again = owner.post("/settings/team", {"email": "TWICE@example.com", "role": "clinician"})
        member = owner.post(
            "/settings/team", {"email": clinic_a.users["marketer"].email, "role": "clinician"}
        )
        bad = owner.post("/settings/team", {"email": "not-an-address", "role": "clinician"})

        assert len(postmark.sent_to("twice@example.com")) == 1
    assert again.status_code == 400
    assert "An invitation to twice@example.com is already waiting: resend it instead" in text(again)
    assert "This clinic already has a member with the address marketer@alpha.test" in text(member)
    assert bad.status_code == 400 and "Enter a valid email address." in text(bad)
    assert Invitation.objects.filter(clinic=clinic_a.clinic).count() == 1


def test_a_failed_email_keeps_the_invitation_and_says_to_resend(clinic_a: Any) -> None:
    owner = member_client(clinic_a, "owner")
    with account_mail() as postmark:
        postmark.invalid.add("bounce@example.com")
        response = owner.post(
            "/settings/team", {"email": "bounce@example.com", "role": "clinician"}, follow=True
        )

    assert "is saved, but the email could not be sent" in text(response)
    assert Invitation.objects.filter(email="bounce@example.com").exists()
