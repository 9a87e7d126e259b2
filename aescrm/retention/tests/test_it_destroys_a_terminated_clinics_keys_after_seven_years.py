"""Seven years after a clinic's account ended its keys are destroyed: its encrypted data
can no longer be read. Before then, or under a legal hold, nothing happens."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from aescrm.accounts.models import ApiKey, Clinic, Membership
from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope, unscoped
from aescrm.crypto.keys import DecryptionError, clear_key_cache
from aescrm.crypto.models import ClinicKey
from aescrm.keyvault.models import PatientKey
from aescrm.patients.models import Patient
from aescrm.retention.engine import apply_retention
from aescrm.retention.services import clinic_terminate, legal_hold_place
from aescrm.testing.fixtures import ClinicWorld

pytestmark = pytest.mark.django_db


def _terminate(world: ClinicWorld, days_ago: int) -> None:
    with time_machine.travel(timezone.now() - dt.timedelta(days=days_ago), tick=False):
        clinic_terminate(clinic=world.clinic)


def _result(slug: str, category: str, dry_run: bool = False) -> Any:
    (report,) = apply_retention(dry_run=dry_run, clinic_slug=slug)
    return next(r for r in report.results if r.category == category)


def _read_name(world: ClinicWorld, patient_id: Any) -> str:
    clear_key_cache()
    with clinic_scope(world.clinic.pk):
        return str(Patient.objects.get(pk=patient_id).first_name)


def test_past_seven_years_the_keys_go_and_the_data_is_unreadable(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld
) -> None:
    patient = clinic_a.make_patient(first_name="Shredded")
    other = clinic_b.make_patient(first_name="Untouched")
    _terminate(clinic_a, days_ago=7 * 365 + 3)

    dry = _result("alpha", "terminated_clinic", dry_run=True)
    assert dry.removed == 2 and dry.why.startswith("encryption keys destroyed, 7 years since")
    assert _read_name(clinic_a, patient.pk) == "Shredded"

    real = _result("alpha", "terminated_clinic")

    assert real.removed == 2
    with unscoped("test"):
        assert not ClinicKey.objects.filter(clinic=clinic_a.clinic).exists()
        assert Clinic.objects.get(pk=clinic_a.clinic.pk).keys_destroyed_at is not None
        assert not Membership.objects.filter(clinic=clinic_a.clinic).exists()
        assert not ApiKey.objects.filter(clinic=clinic_a.clinic).exists()
        assert AuditEntry.all_chains.filter(clinic=clinic_a.clinic, action="key.destroy").exists()
    # The patients' own keys in the key vault are gone too; clinic B's stay.
    vault = PatientKey.objects.filter(clinic_id=clinic_a.clinic.pk)
    assert vault.count() == 1 and not vault.filter(destroyed_at__isnull=True).exists()
    assert PatientKey.objects.get(patient_id=other.pk).destroyed_at is None
    with pytest.raises(DecryptionError):
        _read_name(clinic_a, patient.pk)
    assert _read_name(clinic_b, other.pk) == "Untouched"


def test_within_seven_years_nothing_is_destroyed(clinic_a: ClinicWorld) -> None:
    patient = clinic_a.make_patient(first_name="Kept")
    _terminate(clinic_a, days_ago=7 * 365 - 10)

    result = _result("alpha", "terminated_clinic")

    assert result.removed == 0
    assert result.why.startswith("kept until ")
    assert _read_name(clinic_a, patient.pk) == "Kept"


def test_a_legal_hold_stops_the_destruction(clinic_a: ClinicWorld) -> None:
    patient = clinic_a.make_patient(first_name="Held")
    with clinic_scope(clinic_a.clinic.pk):
        legal_hold_place(caller=clinic_a.caller(), patient=patient, reason="Court order")
    _terminate(clinic_a, days_ago=8 * 365)

    keys = _result("alpha", "terminated_clinic")
    accounts = _result("alpha", "account_records")

    assert (keys.removed, keys.held) == (0, 2)
    assert accounts.removed == 0 and accounts.held > 0
    assert _read_name(clinic_a, patient.pk) == "Held"


def test_an_active_clinic_keeps_its_keys(clinic_a: ClinicWorld) -> None:
    result = _result("alpha", "terminated_clinic")

    assert (result.removed, result.why) == (0, "the clinic's account is active")
