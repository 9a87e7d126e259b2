"""Closing an account: confirmed with the password, refused for a clinic's last owner;
sessions and API keys end at once, personal fields are scrubbed, the id stays in the audit."""

from __future__ import annotations

import pytest
from django.test import Client

from aescrm.accounts.models import ApiKey, Membership, User
from aescrm.accounts.services import api_key_create, membership_set
from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import unscoped
from aescrm.testing.fixtures import PASSWORD, ClinicWorld
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db


def test_a_member_closes_their_account(clinic_a: ClinicWorld) -> None:
    user = clinic_a.users["marketer"]
    _, secret = api_key_create(
        clinic=clinic_a.clinic, name="Agency", scopes=["reports:read"], created_by=user
    )
    elsewhere = Client()  # a second signed-in device
    elsewhere.post("/sign-in", {"email": user.email, "password": PASSWORD})
    assert elsewhere.get("/reports/").status_code == 200
    client = member_client(clinic_a, "marketer")

    wrong = client.post("/account/close", {"password": "not-it"})
    closed = client.post("/account/close", {"password": PASSWORD})

    assert wrong.status_code == 422
    assert "That is not your password." in text(wrong)
    assert closed.status_code == 200
    assert "Your account is closed" in text(closed)
    fresh = User.objects.get(pk=user.pk)
    assert fresh.email.endswith("@closed.invalid") and fresh.email != user.email
    assert (fresh.full_name, fresh.is_active, fresh.has_usable_password()) == ("", False, False)
    assert not Membership.objects.filter(user=user).exists()
    assert ApiKey.objects.get(created_by=user).revoked_at is not None
    # The other device is signed out, and the key no longer works.
    assert elsewhere.get("/reports/").status_code == 302
    assert (
        Client()
        .get("/api/v1/reports/attribution", HTTP_AUTHORIZATION=f"Bearer {secret}")
        .status_code
        == 401
    )
    assert Client().post("/sign-in", {"email": user.email, "password": PASSWORD}).status_code == 400
    with unscoped("test"):
        close = AuditEntry.all_chains.get(action="account.close")
        assert (close.clinic_id, close.object_id) == (None, str(user.pk))
        assert user.email not in str(close.detail)
        assert AuditEntry.all_chains.filter(
            action="membership.delete", clinic_id=clinic_a.clinic.pk, object_id=str(user.pk)
        ).exists()


def test_the_last_owner_of_a_clinic_may_not_close(clinic_a: ClinicWorld) -> None:
    owner = clinic_a.users["owner"]
    client = member_client(clinic_a, "owner")

    page = text(client.get("/account/"))
    refused = client.post("/account/close", {"password": PASSWORD})

    assert "You are the only owner of Alpha Dental" in page
    assert refused.status_code == 409
    assert "only owner of Alpha Dental: make another member an owner first" in text(refused)
    assert User.objects.get(pk=owner.pk).is_active
    assert Membership.objects.filter(user=owner).exists()

    membership_set(clinic=clinic_a.clinic, user=clinic_a.users["manager"], role="owner")
    assert client.post("/account/close", {"password": PASSWORD}).status_code == 200
    assert not User.objects.get(pk=owner.pk).is_active
