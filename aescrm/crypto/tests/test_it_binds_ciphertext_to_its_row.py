"""Associated data binds each ciphertext to its clinic, table, column and row."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.core.tenancy import clinic_scope, unscoped
from aescrm.crypto.fields import Sealed
from aescrm.crypto.keys import DecryptionError, clear_key_cache
from aescrm.patients.models import Patient

pytestmark = pytest.mark.django_db


def _blob(patient: Patient, column: str) -> bytes:
    value = Patient.objects.filter(pk=patient.pk).values_list(column, flat=True).get()
    return bytes(value.blob if isinstance(value, Sealed) else value)


def test_a_ciphertext_copied_to_another_row_does_not_decrypt(clinic_a: Any) -> None:
    """Moving Alice's encrypted name onto Bob's row yields an error, not Alice's name."""
    alice = clinic_a.make_patient(first_name="Alice", email="alice@example.com")
    bob = clinic_a.make_patient(first_name="Bob", email="bob@example.com")

    with clinic_scope(clinic_a.clinic.pk):
        Patient.objects.filter(pk=bob.pk).update(first_name=Sealed(_blob(alice, "first_name")))
        clear_key_cache()
        moved = Patient.objects.get(pk=bob.pk)
        with pytest.raises(DecryptionError):
            _ = moved.first_name
        # Alice's own row still reads.
        assert Patient.objects.get(pk=alice.pk).first_name == "Alice"


def test_a_ciphertext_copied_to_another_column_does_not_decrypt(clinic_a: Any) -> None:
    """The same row's first-name ciphertext does not decrypt as its last name."""
    patient = clinic_a.make_patient(first_name="Alice", last_name="Smith")

    with clinic_scope(clinic_a.clinic.pk):
        Patient.objects.filter(pk=patient.pk).update(last_name=Sealed(_blob(patient, "first_name")))
        moved = Patient.objects.get(pk=patient.pk)
        assert moved.first_name == "Alice"
        with pytest.raises(DecryptionError):
            _ = moved.last_name


def test_a_ciphertext_copied_to_another_clinic_does_not_decrypt(
    clinic_a: Any, clinic_b: Any
) -> None:
    """Clinic A's ciphertext on a clinic B row fails: other key, other associated data."""
    alice = clinic_a.make_patient(first_name="Alice")
    bella = clinic_b.make_patient(first_name="Bella")
    with clinic_scope(clinic_a.clinic.pk):
        stolen = _blob(alice, "first_name")

    with unscoped("test: move a ciphertext between clinics"):
        Patient.objects.filter(pk=bella.pk).update(first_name=Sealed(stolen))
    with clinic_scope(clinic_b.clinic.pk), pytest.raises(DecryptionError):
        _ = Patient.objects.get(pk=bella.pk).first_name


def test_a_changed_ciphertext_does_not_decrypt(clinic_a: Any) -> None:
    """One flipped bit makes the authentication tag fail."""
    patient = clinic_a.make_patient(first_name="Alice")

    with clinic_scope(clinic_a.clinic.pk):
        blob = bytearray(_blob(patient, "first_name"))
        blob[-1] ^= 0x01
        Patient.objects.filter(pk=patient.pk).update(first_name=Sealed(bytes(blob)))
        with pytest.raises(DecryptionError):
            _ = Patient.objects.get(pk=patient.pk).first_name


def test_two_encryptions_of_the_same_value_differ(clinic_a: Any) -> None:
    """A fresh nonce per write: equal plaintexts do not give equal ciphertexts."""
    one = clinic_a.make_patient(first_name="Same", email="one@example.com")
    two = clinic_a.make_patient(first_name="Same", email="two@example.com")

    with clinic_scope(clinic_a.clinic.pk):
        assert _blob(one, "first_name") != _blob(two, "first_name")
        assert b"Same" not in _blob(one, "first_name")
