"""API keys page: list, create (the key shown once), revoke."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.accounts.models import ApiKey
from aescrm.accounts.services import api_key_authenticate
from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db


def test_it_creates_a_key_and_shows_it_once(clinic_a: Any) -> None:
    client = member_client(clinic_a, "manager")

    response = client.post(
        "/settings/api-keys",
        {"name": "Website booking form", "scopes": ["enquiries:write", "patients:read"]},
    )

    page = text(response)
    key = ApiKey.objects.get(clinic=clinic_a.clinic, name="Website booking form")
    secret = page.split('id="new-key" type="text" readonly value="')[1].split('"')[0]
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert "It is shown only once" in page
    assert api_key_authenticate(secret) == key
    assert key.scopes == ["enquiries:write", "patients:read"]
    assert key.created_by == clinic_a.users["manager"]
    listing = text(client.get("/settings/api-keys"))
    assert secret not in listing
    assert f"<code>{key.prefix}…</code>" in listing
    with clinic_scope(clinic_a.clinic.pk):
        assert (
            AuditEntry.objects.filter(action="api_key.create", object_id=str(key.pk)).count() == 1
        )


def test_it_needs_a_name_and_a_scope(clinic_a: Any) -> None:
    response = member_client(clinic_a, "owner").post("/settings/api-keys", {"name": ""})

    page = text(response)
    assert response.status_code == 400
    assert "Give the key a name." in page
    assert "Choose at least one thing the key may do." in page
    assert ApiKey.objects.filter(clinic=clinic_a.clinic).count() == 1  # the fixture's


def test_it_revokes_a_key(clinic_a: Any) -> None:
    key = ApiKey.objects.get(clinic=clinic_a.clinic)
    client = member_client(clinic_a, "owner")

    response = client.post(f"/settings/api-keys/{key.pk}/revoke")

    key.refresh_from_db()
    assert response["Location"] == "/settings/api-keys"
    assert key.revoked_at is not None
    assert api_key_authenticate(clinic_a.api_key) is None
    assert f"The key “test” ({key.prefix}…) is revoked." in text(client.get("/settings/api-keys"))


def test_it_lists_only_this_clinics_keys(clinic_a: Any, clinic_b: Any) -> None:
    a_key = ApiKey.objects.get(clinic=clinic_a.clinic)
    b_key = ApiKey.objects.get(clinic=clinic_b.clinic)

    page = text(member_client(clinic_a, "owner").get("/settings/api-keys"))

    assert a_key.prefix in page
    assert b_key.prefix not in page
