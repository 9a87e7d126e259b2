"""POST /api/v1/bench/floor, `make bench`'s floor (decision 0015): a note added through the
notes service, encrypted and audited; 404 unless benchmark endpoints are on, 404 for
another clinic's patient, and never in the API's schema."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from aescrm.api.tests.helpers import assert_problem
from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import PatientNote

pytestmark = pytest.mark.django_db

FLOOR = "/api/v1/bench/floor"


def _notes(world: Any) -> list[tuple[str, str]]:
    with clinic_scope(world.clinic.pk):
        return [(str(n.patient_id), n.body) for n in PatientNote.objects.order_by("created_at")]


def test_it_adds_an_audited_note_when_benchmark_endpoints_are_on(
    clinic_a: Any, settings: Any
) -> None:
    settings.AESCRM_BENCH_ENDPOINTS = True
    patient = clinic_a.make_patient(phone="07700 900555")

    response = clinic_a.api().post(FLOOR, {"patient_id": str(patient.pk), "body": "Rang back."})

    assert response.status_code == 201, response.content
    assert _notes(clinic_a) == [(str(patient.pk), "Rang back.")]
    with clinic_scope(clinic_a.clinic.pk):
        logged = AuditEntry.objects.filter(action="note.create", object_id=str(patient.pk))
        assert logged.count() == 1


def test_it_is_not_there_without_the_setting(clinic_a: Any, settings: Any) -> None:
    settings.AESCRM_BENCH_ENDPOINTS = False
    patient = clinic_a.make_patient(phone="07700 900556")

    response = clinic_a.api().post(FLOOR, {"patient_id": str(patient.pk), "body": "Rang back."})

    assert_problem(response, 404)
    assert _notes(clinic_a) == []
    assert FLOOR not in Client().get("/api/v1/openapi.json").content.decode()


def test_another_clinics_key_gets_404_and_nothing_changes(
    clinic_a: Any, clinic_b: Any, settings: Any
) -> None:
    settings.AESCRM_BENCH_ENDPOINTS = True
    patient = clinic_a.make_patient(phone="07700 900557")

    response = clinic_b.api().post(FLOOR, {"patient_id": str(patient.pk), "body": "Hacked."})

    assert_problem(response, 404)
    assert _notes(clinic_a) == [] and _notes(clinic_b) == []
    with clinic_scope(clinic_b.clinic.pk):
        assert not AuditEntry.objects.filter(action="note.create").exists()
