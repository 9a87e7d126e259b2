"""Clinic B's members and keys get 404 for clinic A's patients and exports on every endpoint
and page, and nothing changes; marketers, receptionists and keys without the export scope
are refused."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.accounts.services import api_key_create
from aescrm.audit.models import AuditEntry
from aescrm.core.problems import PermissionDenied
from aescrm.core.tenancy import clinic_scope
from aescrm.subject_access import services
from aescrm.subject_access.models import SubjectAccessExport
from aescrm.testing.fixtures import ApiClient
from aescrm.web.tests.support import member_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def alpha(clinic_a: Any, django_capture_on_commit_callbacks: Any) -> dict[str, Any]:
    """Clinic A's patient with a ready export."""
    patient = clinic_a.make_patient(first_name="Alfreda", last_name="Alphason")
    with clinic_scope(clinic_a.clinic.pk), django_capture_on_commit_callbacks(execute=True):
        export = services.export_request(
            caller=clinic_a.caller(), patient=patient, include_access_log=False
        )
    return {"patient": patient, "export": export}


def _snapshot(world: Any) -> list[tuple[Any, ...]]:
    with clinic_scope(world.clinic.pk):
        return list(
            SubjectAccessExport.objects.order_by("pk").values_list(
                "pk", "status", "token_hash", "downloaded_at"
            )
        )


def test_another_clinic_gets_404_everywhere_and_nothing_changes(
    clinic_a: Any, clinic_b: Any, alpha: dict[str, Any]
) -> None:
    patient, export = alpha["patient"], alpha["export"]
    before = _snapshot(clinic_a)
    assert before[0][1] == "ready"

    api = clinic_b.api()
    for method in ("get", "post"):
        answer = getattr(api, method)(f"/api/v1/patients/{patient.pk}/export")
        assert answer.status_code == 404, method
    assert api.get(f"/api/v1/exports/{export.pk}").status_code == 404

    owner_b = member_client(clinic_b, "owner")
    assert owner_b.post(f"/patients/{patient.pk}/export").status_code == 404
    assert owner_b.post(f"/privacy/exports/{export.pk}/link").status_code == 404
    assert owner_b.get(f"/privacy/exports/?patient={patient.pk}").status_code == 404
    listing = owner_b.get("/privacy/exports/")
    assert listing.status_code == 200
    assert str(export.pk) not in listing.content.decode()
    assert "Alphason" not in listing.content.decode()

    assert _snapshot(clinic_a) == before
    with clinic_scope(clinic_b.clinic.pk):
        assert not SubjectAccessExport.objects.exists()
    with clinic_scope(clinic_a.clinic.pk):
        assert not AuditEntry.objects.filter(action="subject_access.export.link_issued").exists()


@pytest.mark.parametrize("role", ["marketer", "receptionist", "clinician", "auditor"])
def test_roles_without_the_export_permission_are_refused(
    clinic_a: Any, alpha: dict[str, Any], role: str
) -> None:
    patient, export = alpha["patient"], alpha["export"]
    before = _snapshot(clinic_a)
    client = member_client(clinic_a, role)
    assert client.post(f"/patients/{patient.pk}/export").status_code == 403
    assert client.get("/privacy/exports/").status_code == 403
    assert client.post(f"/privacy/exports/{export.pk}/link").status_code == 403
    page = client.get(f"/patients/{patient.pk}/")
    assert "Export everything we hold" not in page.content.decode()
    with clinic_scope(clinic_a.clinic.pk), pytest.raises(PermissionDenied):
        services.export_request(
            caller=clinic_a.caller(role), patient=patient, include_access_log=False
        )
    assert _snapshot(clinic_a) == before


def test_a_key_without_the_export_scope_is_refused(clinic_a: Any, alpha: dict[str, Any]) -> None:
    _, key = api_key_create(
        clinic=clinic_a.clinic, name="reader", scopes=["patients:read", "patients:write"]
    )
    api = ApiClient(key)
    patient, export = alpha["patient"], alpha["export"]
    assert api.get(f"/api/v1/patients/{patient.pk}/export").status_code == 403
    assert api.get(f"/api/v1/exports/{export.pk}").status_code == 403
    assert len(_snapshot(clinic_a)) == 1


def test_a_manager_exports_from_the_record_and_gets_a_link(
    clinic_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    patient = clinic_a.make_patient(first_name="Maud", last_name="Managed")
    client = member_client(clinic_a, "manager")
    page = client.get(f"/patients/{patient.pk}/")
    assert "Export everything we hold" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(f"/patients/{patient.pk}/export", {"include_access_log": "on"})
    assert started.status_code == 302
    listing = client.get(started["Location"]).content.decode()
    assert "Ready to download" in listing and "Maud Managed" in listing
    with clinic_scope(clinic_a.clinic.pk):
        export = SubjectAccessExport.objects.get()
    assert export.include_access_log is True

    link_page = client.post(f"/privacy/exports/{export.pk}/link")
    assert link_page.status_code == 200
    text = link_page.content.decode()
    assert "http://testserver/exports/download/" in text
    url = text.split('id="export-link"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    assert url.startswith("http://testserver/exports/download/")
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 410
