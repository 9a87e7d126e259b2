"""An account holder downloads their account data as JSON: profile, memberships, sign-ins,
sessions, API key metadata (never the key) and the audit entries where they acted."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from aescrm.accounts.services import api_key_create
from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import unscoped
from aescrm.testing.fixtures import PASSWORD, ClinicWorld
from aescrm.web.tests.support import member_client

pytestmark = pytest.mark.django_db


def test_the_export_holds_the_users_own_account_data(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld
) -> None:
    user = clinic_a.users["receptionist"]
    client = Client()
    assert client.post("/sign-in", {"email": user.email, "password": PASSWORD}).status_code == 302
    _, secret = api_key_create(
        clinic=clinic_a.clinic, name="Zapier", scopes=["patients:read"], created_by=user
    )
    patient = clinic_a.make_patient(first_name="Ann")
    assert client.get(f"/patients/{patient.pk}/").status_code == 200

    response = client.get("/account/export.json")
    data = json.loads(response.content)

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="aescrm-account.json"'
    assert data["profile"]["email"] == user.email
    assert data["profile"]["id"] == str(user.pk)
    assert [(m["clinic"], m["role"]) for m in data["memberships"]] == [
        ("Alpha Dental", "receptionist")
    ]
    assert [s["action"] for s in data["sign_ins"]] == ["auth.login.success"]
    assert len(data["sessions"]) == 1
    assert [(k["name"], k["clinic"], k["scopes"]) for k in data["api_keys"]] == [
        ("Zapier", "Alpha Dental", ["patients:read"])
    ]
    assert secret not in response.content.decode()
    acted = [(e["action"], e["object_id"]) for e in data["audit_entries_as_actor"]]
    assert ("patient.read", str(patient.pk)) in acted
    # Nothing of another user or clinic.
    assert "bravo" not in response.content.decode().lower()
    with unscoped("test"):
        assert AuditEntry.all_chains.filter(
            action="account.export", object_id=str(user.pk), clinic__isnull=True
        ).exists()


def test_the_account_page_needs_a_sign_in(clinic_a: ClinicWorld) -> None:
    assert Client().get("/account/export.json").status_code == 302
    page = member_client(clinic_a, "owner").get("/account/")
    assert page.status_code == 200
    assert "Download account data" in page.content.decode()
