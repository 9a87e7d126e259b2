"""`aescrm rotate_keys`: re-wrap data keys under a new master key; re-encrypt a clinic."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings

from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope, unscoped
from aescrm.crypto import keys
from aescrm.crypto.fields import Sealed
from aescrm.crypto.keys import clear_key_cache
from aescrm.crypto.masterkey import MasterKeyError, generate_master_key, master_keyring
from aescrm.crypto.models import ClinicKey
from aescrm.keyvault.models import PatientKey
from aescrm.patients.models import Enquiry, Patient

pytestmark = pytest.mark.django_db


def _fresh_caches() -> None:
    master_keyring.cache_clear()
    keys.clear_key_cache()


@contextmanager
def master_keys(current: str, *old: str) -> Iterator[None]:
    """Run as a deployment whose environment holds these master keys."""
    with override_settings(AESCRM_MASTER_KEY=current, AESCRM_OLD_MASTER_KEYS=list(old)):
        _fresh_caches()
        try:
            yield
        finally:
            _fresh_caches()
    _fresh_caches()


def _rotate(*args: str) -> str:
    out = io.StringIO()
    call_command("rotate_keys", *args, stdout=out)
    return out.getvalue()


def _read_back(clinic: Any, patient_id: Any) -> tuple[str, str, str]:
    """Decrypt from the database with empty key caches."""
    keys.clear_key_cache()
    with clinic_scope(clinic.clinic.pk):
        patient = Patient.objects.get(pk=patient_id)
        enquiry = Enquiry.objects.get(patient=patient)
        return patient.last_name, patient.email, enquiry.message


@pytest.fixture
def recorded(clinic_a: Any, clinic_b: Any) -> Any:
    """Clinic A's patient with an enquiry, and clinic B's patient, under the first master key."""
    api = clinic_a.api()
    patient = api.post(
        "/api/v1/patients",
        {"first_name": "Rosalind", "last_name": "Franklin", "email": "rf@example.org"},
    ).json()
    api.post(
        "/api/v1/enquiries",
        {"patient": patient["id"], "channel": "email", "message": "Crowns, please"},
    )
    clinic_b.make_patient(first_name="Other", email="other@example.org")
    return patient["id"]


def test_it_rewraps_every_clinic_key_under_the_new_master_key(clinic_a: Any, recorded: Any) -> None:
    """After rotation the old master key is no longer needed to read anything."""
    old_key, new_key = settings.AESCRM_MASTER_KEY, generate_master_key()

    # Given the new master key alone, nothing can be read yet
    with master_keys(new_key), pytest.raises(MasterKeyError):
        _read_back(clinic_a, recorded)

    # When the keys are rotated with the old master key still configured
    with master_keys(new_key, old_key):
        new_id = master_keyring().current.key_id
        output = _rotate()
        again = _rotate()

    # Then every clinic key is wrapped by the new master key, once
    assert "re-wrapped 4 clinic key(s)" in output
    assert "re-wrapped 0 clinic key(s)" in again
    assert set(ClinicKey.objects.values_list("master_key_id", flat=True)) == {new_id}
    # ... and the data reads with the new master key alone
    with master_keys(new_key):
        assert _read_back(clinic_a, recorded) == ("Franklin", "rf@example.org", "Crowns, please")
    with unscoped("test: read the platform audit chain"):
        entries = AuditEntry.all_chains.filter(action="key.rewrap", clinic__isnull=True)
        assert [e.detail for e in entries.order_by("id")] == [{"rewrapped": 4}, {"rewrapped": 0}]


def test_reencrypt_moves_a_clinics_ciphertexts_to_a_fresh_data_key(
    clinic_a: Any, clinic_b: Any, recorded: Any
) -> None:
    """`--reencrypt SLUG` makes data key v2 active; patient keys are re-wrapped under it.

    Patient data is under each patient's own key (docs/decisions/0022), so no
    patient row needs rewriting: their keys move to the new data key instead.
    """
    output = _rotate("--reencrypt", clinic_a.clinic.slug)

    assert "re-encrypted 0 row(s) of alpha under data key v2" in output
    data_keys = ClinicKey.objects.filter(clinic=clinic_a.clinic, purpose="data")
    assert sorted(data_keys.values_list("version", "active")) == [(1, False), (2, True)]
    with clinic_scope(clinic_a.clinic.pk):
        patient = Patient.objects.get(pk=recorded)
        owners = {
            keys.ciphertext_patient(value.blob)
            for value in (patient.__dict__[f] for f in ("first_name", "last_name", "email"))
            if isinstance(value, Sealed)
        }
        enquiry_blob = Enquiry.objects.get(patient_id=recorded).__dict__["message"].blob
        assert AuditEntry.objects.filter(action="key.reencrypt").get().detail == {
            "version": 2,
            "rows": 0,
            "patient_keys_rewrapped": 1,
        }
    assert owners == {uuid.UUID(recorded)}
    assert keys.ciphertext_patient(enquiry_blob) == uuid.UUID(recorded)
    wrapped_under = PatientKey.objects.filter(clinic_id=clinic_a.clinic.pk)
    assert set(wrapped_under.values_list("clinic_key_version", flat=True)) == {2}
    clear_key_cache()
    assert _read_back(clinic_a, recorded) == ("Franklin", "rf@example.org", "Crowns, please")
    # Search tokens and blind indexes use the index key, which did not change.
    found = clinic_a.api().get("/api/v1/patients", {"search": "frankl"}).json()["items"]
    assert [p["id"] for p in found] == [recorded]
    # Clinic B was not touched.
    assert ClinicKey.objects.filter(clinic=clinic_b.clinic, purpose="data").count() == 1


def test_new_writes_after_reencryption_use_the_new_data_key(clinic_a: Any, recorded: Any) -> None:
    """A patient created after re-encryption gets a key wrapped under v2 and reads back."""
    _rotate("--reencrypt", clinic_a.clinic.slug)

    created = clinic_a.make_patient(first_name="Later", email="later@example.org")

    with clinic_scope(clinic_a.clinic.pk):
        blob = Patient.objects.get(pk=created.pk).__dict__["first_name"].blob
        keys.clear_key_cache()
        assert Patient.objects.get(pk=created.pk).first_name == "Later"
    assert keys.ciphertext_patient(blob) == created.pk
    assert PatientKey.objects.get(patient_id=created.pk).clinic_key_version == 2


def test_reencrypting_an_unknown_clinic_fails_naming_it(clinic_a: Any) -> None:
    """An unknown slug is a CommandError naming it; no data key is added."""
    with pytest.raises(CommandError, match="no clinic with slug 'nope'"):
        _rotate("--reencrypt", "nope")

    assert ClinicKey.objects.filter(clinic=clinic_a.clinic, purpose="data").count() == 1
