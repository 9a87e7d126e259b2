"""Blind indexes: exact lookup by email or phone without decrypting, per clinic."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.core.tenancy import clinic_scope, unscoped
from aescrm.crypto.keys import blind_index
from aescrm.patients.models import Patient
from aescrm.patients.normalise import normalise_email

pytestmark = pytest.mark.django_db


def test_the_same_email_in_another_case_finds_the_same_patient(clinic_a: Any) -> None:
    """The index is of the normalised email, so case and spaces do not matter."""
    patient = clinic_a.make_patient(email="Ada.Lovelace@Example.COM")
    clinic_a.make_patient(email="someone.else@example.com")

    with clinic_scope(clinic_a.clinic.pk):
        index = blind_index(
            clinic_a.clinic.pk, "email", normalise_email("  ADA.lovelace@example.com ")
        )
        found = list(Patient.objects.filter(email_bidx=index).values_list("pk", flat=True))
    assert found == [patient.pk]


def test_the_api_refuses_a_second_patient_with_the_same_email_in_another_case(
    clinic_a: Any,
) -> None:
    """The duplicate check uses the blind index: 409 naming the existing patient."""
    api = clinic_a.api()
    first = api.post("/api/v1/patients", {"first_name": "Ada", "email": "ada@example.com"}).json()

    response = api.post("/api/v1/patients", {"first_name": "Ada", "email": "ADA@Example.com"})

    assert response.status_code == 409
    body = response.json()
    assert body["errors"] == [
        {"field": "email", "message": "another patient already has this email"}
    ]
    assert body["existing_patient"] == first["id"]


def test_the_same_email_in_two_clinics_has_different_index_values(
    clinic_a: Any, clinic_b: Any
) -> None:
    """Each clinic has its own index key: equal emails cannot be linked across clinics."""
    in_a = clinic_a.make_patient(email="shared@example.com", phone="07700 900111")
    in_b = clinic_b.make_patient(email="shared@example.com", phone="07700 900111")

    with unscoped("test: compare index values across clinics"):
        a_row = Patient.objects.values("email_bidx", "phone_bidx").get(pk=in_a.pk)
        b_row = Patient.objects.values("email_bidx", "phone_bidx").get(pk=in_b.pk)
    assert len(a_row["email_bidx"]) == 64
    assert a_row["email_bidx"] != b_row["email_bidx"]
    assert a_row["phone_bidx"] != b_row["phone_bidx"]
    assert "shared" not in a_row["email_bidx"]
