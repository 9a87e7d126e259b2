"""A copy of the database taken before a patient's key is destroyed no longer reveals them.

This is the crypto-shredding primitive on its own; the full erasure journey
(aescrm/erasure) proves the same through ``erase_patient``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from aescrm.core.tenancy import clinic_scope
from aescrm.crypto import keys
from aescrm.crypto.errors import PatientKeyDestroyed
from aescrm.crypto.shredding import shred_patient_key
from aescrm.keyvault.models import PatientKey
from aescrm.keyvault.tests.backup import database_copy
from aescrm.patients import services
from aescrm.patients.models import Enquiry, Patient, PatientNote

pytestmark = pytest.mark.django_db(transaction=True)


def _with_history(world: Any, first: str, email: str) -> Patient:
    patient = world.make_patient(first_name=first, last_name="Example", email=email)
    with clinic_scope(world.clinic.pk):
        services.note_add(caller=world.caller(), patient=patient, body=f"{first} prefers mornings")
        services.enquiry_create(
            caller=world.caller(),
            patient=patient,
            channel="web_form",
            message=f"{first}: whitening?",
        )
    return patient


def test_a_patients_data_is_sealed_under_their_own_key(
    clinic_a: Any, allow_audit_flush: None
) -> None:
    """Each patient's fields, notes and enquiries name that patient's key in their header."""
    alice = _with_history(clinic_a, "Alice", "alice@example.org")
    bob = _with_history(clinic_a, "Bob", "bob@example.org")

    with clinic_scope(clinic_a.clinic.pk):
        for patient in (alice, bob):
            row = Patient.objects.get(pk=patient.pk)
            note = PatientNote.objects.get(patient=patient)
            enquiry = Enquiry.objects.get(patient=patient)
            sealed = [
                row.__dict__["first_name"],
                note.__dict__["body"],
                enquiry.__dict__["message"],
            ]
            assert {keys.ciphertext_patient(s.blob) for s in sealed} == {patient.pk}
    assert PatientKey.objects.filter(clinic_id=clinic_a.clinic.pk).count() == 2


def test_a_backup_taken_before_erasure_no_longer_decrypts_the_erased_patient(
    clinic_a: Any, allow_audit_flush: None, tmp_path: Path
) -> None:
    alice = _with_history(clinic_a, "Alice", "alice@example.org")
    bob = _with_history(clinic_a, "Bob", "bob@example.org")

    with database_copy(tmp_path) as before_erasure:
        # Alice is erased: her rows go and her key is destroyed once that commits.
        with clinic_scope(clinic_a.clinic.pk), transaction.atomic():
            Patient.objects.filter(pk=alice.pk).delete()
            shred_patient_key(clinic_a.clinic.pk, alice.pk)
        keys.clear_key_cache()  # a fresh process restoring the backup

        with clinic_scope(clinic_a.clinic.pk):
            restored = Patient.objects.using(before_erasure)
            # The backup still holds Alice's rows...
            alice_then = restored.get(pk=alice.pk)
            with pytest.raises(PatientKeyDestroyed, match="destroyed"):
                _ = alice_then.first_name
            with pytest.raises(PatientKeyDestroyed):
                _ = alice_then.email
            with pytest.raises(PatientKeyDestroyed):
                _ = PatientNote.objects.using(before_erasure).get(patient_id=alice.pk).body
            with pytest.raises(PatientKeyDestroyed):
                _ = Enquiry.objects.using(before_erasure).get(patient_id=alice.pk).message
            # ... while everyone else in it reads as before.
            bob_then = restored.get(pk=bob.pk)
            assert (bob_then.first_name, bob_then.email) == ("Bob", "bob@example.org")
            assert PatientNote.objects.using(before_erasure).get(patient_id=bob.pk).body == (
                "Bob prefers mornings"
            )
            # The live database no longer has Alice at all.
            assert not Patient.objects.filter(pk=alice.pk).exists()

    tombstone = PatientKey.objects.get(patient_id=alice.pk)
    assert tombstone.wrapped_key is None and tombstone.destroyed_at is not None


def test_a_rolled_back_erasure_keeps_the_key(clinic_a: Any, allow_audit_flush: None) -> None:
    """The key goes only when the erasure commits: a failed erasure leaves the data readable."""
    alice = _with_history(clinic_a, "Alice", "alice@example.org")

    with clinic_scope(clinic_a.clinic.pk):
        with pytest.raises(RuntimeError), transaction.atomic():
            shred_patient_key(clinic_a.clinic.pk, alice.pk)
            raise RuntimeError("the erasure failed half way")
        keys.clear_key_cache()
        assert Patient.objects.get(pk=alice.pk).first_name == "Alice"
    assert PatientKey.objects.get(patient_id=alice.pk).destroyed_at is None


def test_nothing_new_is_written_under_an_erased_patients_key(
    clinic_a: Any, allow_audit_flush: None
) -> None:
    alice = _with_history(clinic_a, "Alice", "alice@example.org")
    with clinic_scope(clinic_a.clinic.pk):
        with transaction.atomic():
            shred_patient_key(clinic_a.clinic.pk, alice.pk)
        stale = Patient.objects.get(pk=alice.pk)
        stale.first_name = "Resurrected"
        with pytest.raises(PatientKeyDestroyed):
            stale.save()
