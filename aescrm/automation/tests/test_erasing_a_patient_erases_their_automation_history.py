"""Deleting a patient (erasure) leaves none of their automation history behind: runs, the
run log (which names treatments and times) and staff notifications about them."""

from __future__ import annotations

from typing import Any

from aescrm.automation.models import Run, RunLog, StaffNotification
from aescrm.automation.tests.conftest import book, london
from aescrm.core.tenancy import clinic_scope
from aescrm.patients import services
from aescrm.testing.fixtures import ClinicWorld


def test_erasure_takes_the_runs_log_and_notifications(
    recipe_clinic: ClinicWorld, clock: Any
) -> None:
    clock.move_to(london(2026, 12, 1, 9))
    patient = recipe_clinic.make_patient(phone="07700 900381")
    kept = recipe_clinic.make_patient(phone="07700 900382")
    book(recipe_clinic, patient, london(2026, 12, 10, 14))
    book(recipe_clinic, kept, london(2026, 12, 10, 15))
    with clinic_scope(recipe_clinic.clinic.pk):
        StaffNotification.objects.create(patient=patient, text="Call about the 14:00")
        assert Run.objects.filter(patient=patient).count() == 2
        assert RunLog.objects.filter(patient=patient).exists()

        services.patient_delete(caller=recipe_clinic.caller(), patient=patient)

        assert not Run.objects.filter(patient_id=patient.pk).exists()
        assert not RunLog.objects.filter(patient_id=patient.pk).exists()
        assert not StaffNotification.objects.filter(patient_id=patient.pk).exists()
        assert Run.objects.filter(patient=kept).count() == 2
