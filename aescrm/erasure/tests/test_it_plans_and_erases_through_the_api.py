"""POST /api/v1/patients/{id}/erasure: a dry run shows what goes and what stays and why and
changes nothing; a legal hold blocks it; the real run erases; another clinic gets 404."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.accounts.services import api_key_create
from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.erasure import holds
from aescrm.erasure.models import Erasure
from aescrm.erasure.tests.support import full_patient
from aescrm.messaging.models import Message
from aescrm.patients.models import Appointment, Patient
from aescrm.testing.fixtures import ApiClient, ClinicWorld

pytestmark = pytest.mark.django_db


def _url(patient: Patient) -> str:
    return f"/api/v1/patients/{patient.pk}/erasure"


def _state(world: ClinicWorld) -> tuple[int, int, int, int]:
    with clinic_scope(world.clinic.pk):
        return (
            Patient.objects.exclude(first_name=None).count(),
            Message.objects.count(),
            Appointment.objects.count(),
            Erasure.objects.count(),
        )


def test_the_dry_run_shows_what_goes_and_what_stays_and_why(
    clinic_a: ClinicWorld, console: None
) -> None:
    gwen = full_patient(clinic_a).patient
    before = _state(clinic_a)

    response = clinic_a.api().post(_url(gwen), {"dry_run": True})

    assert response.status_code == 200, response.content
    plan = response.json()
    assert plan["dry_run"] and plan["can_erase"] and plan["held"] is None
    removed = {line["category"]: line["count"] for line in plan["removed"]}
    assert removed["appointments"] == 1 and removed["notes"] == 1 and removed["enquiries"] == 1
    assert removed["messages"] >= 3 and removed["attribution"] >= 1
    kept = {line["category"]: line for line in plan["kept"]}
    assert kept["appointments"]["count"] == 1
    assert "financial records" in kept["appointments"]["why"]
    assert kept["profile"]["count"] == 1 and "cannot be found" in kept["profile"]["why"]
    assert plan["suppressed"] == ["email", "phone"] and plan["tombstone"]
    assert _state(clinic_a) == before


def test_a_legal_hold_blocks_the_erasure_with_its_reason(
    clinic_a: ClinicWorld, console: None, monkeypatch: Any
) -> None:
    gwen = full_patient(clinic_a).patient
    monkeypatch.setattr(holds, "held", lambda patient: "claim 2026/114 in the county court")
    before = _state(clinic_a)

    plan = clinic_a.api().post(_url(gwen), {"dry_run": True}).json()
    response = clinic_a.api().post(_url(gwen), {"dry_run": False, "reason": "asked"})

    assert plan["held"] == "claim 2026/114 in the county court" and not plan["can_erase"]
    assert response.status_code == 409
    assert "claim 2026/114" in response.json()["detail"]
    assert _state(clinic_a) == before


def test_the_real_run_erases_and_needs_a_reason(clinic_a: ClinicWorld, console: None) -> None:
    gwen = full_patient(clinic_a).patient
    api = clinic_a.api()

    refused = api.post(_url(gwen), {"dry_run": False})
    response = api.post(_url(gwen), {"dry_run": False, "reason": "asked"})
    again = api.post(_url(gwen), {"dry_run": True})

    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "reason"
    assert response.status_code == 200, response.content
    body = response.json()
    assert not body["dry_run"] and body["erasure"]
    assert {line["category"]: line["count"] for line in body["kept"]} == {
        "appointments": 1,
        "profile": 1,
    }
    assert again.status_code == 404  # the emptied record is no patient to erase
    assert api.get(f"/api/v1/patients/{gwen.pk}").status_code == 404
    listed = api.get("/api/v1/patients", {"search": "Gwen"}).json()["items"]
    assert listed == []
    with clinic_scope(clinic_a.clinic.pk):
        assert AuditEntry.objects.filter(action="privacy.erasure.completed").count() == 1


def test_another_clinic_gets_404_and_nothing_changes(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld, console: None
) -> None:
    gwen = full_patient(clinic_a).patient
    before = _state(clinic_a)

    plan = clinic_b.api().post(_url(gwen), {"dry_run": True})
    erase = clinic_b.api().post(_url(gwen), {"dry_run": False, "reason": "asked"})

    assert plan.status_code == 404 and erase.status_code == 404
    assert _state(clinic_a) == before


def test_a_key_without_the_erase_scope_is_refused(clinic_a: ClinicWorld, console: None) -> None:
    gwen = full_patient(clinic_a).patient
    _, key = api_key_create(
        clinic=clinic_a.clinic, name="crm sync", scopes=["patients:read", "patients:write"]
    )
    before = _state(clinic_a)

    response = ApiClient(key).post(_url(gwen), {"dry_run": False, "reason": "asked"})

    assert response.status_code == 403
    assert _state(clinic_a) == before
