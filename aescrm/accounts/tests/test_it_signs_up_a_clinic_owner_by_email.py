"""Sign up, follow the emailed link, and own a new clinic, signed in (docs/decisions/0030)."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from aescrm.accounts.models import Clinic, Membership, PendingSignup, User
from aescrm.accounts.tests.signup_support import (
    PASSWORD,
    form,
    link_in,
    sign_up,
)
from aescrm.audit.models import AuditEntry
from aescrm.billing.models import Subscription
from aescrm.core.tenancy import clinic_scope, unscoped
from aescrm.testing.fakes.postmark import FakePostmark

EMAIL = "grace@hopper-aesthetics.co.uk"


def test_signing_up_sends_a_link_that_makes_the_owner_of_a_new_clinic(
    db: object, platform_mail: FakePostmark
) -> None:
    client = Client()
    response = sign_up(client, email="Grace@Hopper-Aesthetics.co.uk")
    assert response.status_code == 302 and response["Location"] == "/signup/sent"
    assert EMAIL in client.get("/signup/sent").content.decode()
    # Nothing exists yet but the pending sign-up, with no password or token in clear.
    assert not User.objects.filter(email=EMAIL).exists()
    assert not Clinic.objects.filter(name="Hopper Aesthetics").exists()
    pending = PendingSignup.objects.get(email=EMAIL)
    assert PASSWORD not in pending.password_hash
    [email] = platform_mail.sent_to(EMAIL)
    assert email["Subject"] == "Confirm your email to set up your clinic on AES-CRM"
    path = link_in(platform_mail, EMAIL)
    assert path.rsplit("/", 1)[1] not in pending.token_hash

    # Opening the link (as a mail scanner would) uses nothing up.
    page = client.get(path)
    assert page.status_code == 200
    assert "Confirm and create my clinic" in page.content.decode()
    assert PendingSignup.objects.filter(email=EMAIL).exists()

    done = client.post(path)
    assert done.status_code == 302 and done["Location"] == "/onboarding"
    user = User.objects.get(email=EMAIL)
    assert user.full_name == "Grace Hopper" and user.is_active
    assert user.check_password(PASSWORD)
    clinic = Clinic.objects.get(name="Hopper Aesthetics")
    assert clinic.slug == "hopper-aesthetics"
    assert clinic.timezone == "Europe/London"
    assert Membership.objects.get(user=user).clinic == clinic
    assert Membership.objects.get(user=user).role == "owner"
    trial = Subscription.objects.get(clinic=clinic)
    assert (trial.plan, trial.status) == ("growth", "trialing")
    assert trial.trial_ends_at is not None
    assert 13 <= (trial.trial_ends_at - timezone.now()).days <= 14
    assert client.session["_auth_user_id"] == str(user.pk)
    assert not PendingSignup.objects.exists()
    # An owner sets up two-factor authentication before the first clinic page opens.
    onboarding = client.get("/onboarding")
    assert onboarding.status_code == 302
    assert onboarding["Location"].startswith("/sign-in/two-factor?next=/onboarding")

    with unscoped("test: read the platform chain"):
        assert AuditEntry.objects.filter(action="signup.verified", object_id=str(user.pk)).exists()
    with clinic_scope(clinic.pk):
        assert AuditEntry.objects.filter(
            action="clinic.create_by_signup", object_id=str(clinic.pk)
        ).exists()


def test_the_link_works_once(db: object, platform_mail: FakePostmark) -> None:
    sign_up(Client())
    path = link_in(platform_mail, EMAIL)
    assert Client().post(path).status_code == 302

    again = Client().post(path)
    assert again.status_code == 404
    assert "already been used" in again.content.decode()
    assert Client().get(path).status_code == 404
    assert Clinic.objects.filter(name="Hopper Aesthetics").count() == 1


def test_the_link_expires_after_24_hours(db: object, platform_mail: FakePostmark) -> None:
    sign_up(Client())
    path = link_in(platform_mail, EMAIL)
    pending = PendingSignup.objects.get(email=EMAIL)
    assert abs(pending.expires_at - timezone.now() - dt.timedelta(hours=24)) < dt.timedelta(
        minutes=1
    )
    PendingSignup.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    response = Client().post(path)
    assert response.status_code == 410
    html = response.content.decode()
    assert "expired" in html and 'href="/signup"' in html
    assert not User.objects.filter(email=EMAIL).exists()
    assert not Clinic.objects.filter(name="Hopper Aesthetics").exists()


def test_a_made_up_link_is_refused(db: object) -> None:
    assert Client().get("/signup/verify/not-a-real-token").status_code == 404
    assert Client().post("/signup/verify/not-a-real-token").status_code == 404


def test_two_clinics_of_the_same_name_get_their_own_addresses(
    db: object, platform_mail: FakePostmark
) -> None:
    for address in ("one@example.org", "two@example.org"):
        sign_up(Client(), email=address)
        assert Client().post(link_in(platform_mail, address)).status_code == 302
    slugs = sorted(Clinic.objects.filter(name="Hopper Aesthetics").values_list("slug", flat=True))
    assert slugs == ["hopper-aesthetics", "hopper-aesthetics-2"]


def test_a_filled_hidden_field_looks_fine_but_does_nothing(
    db: object, platform_mail: FakePostmark
) -> None:
    response = Client().post("/signup", form(website="http://spam.example"))
    assert response.status_code == 302 and response["Location"] == "/signup/sent"
    assert not PendingSignup.objects.exists()
    assert platform_mail.sent_to(EMAIL) == []
