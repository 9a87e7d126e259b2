"""An enquiry from someone the clinic knows goes on their record; clinics never mix."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import ConsentEvent
from aescrm.public.tests.support import WORDING, enquiries, enquiry, patients, post_json

pytestmark = pytest.mark.django_db


def test_same_email_gets_the_enquiry_on_the_existing_record(clinic_a: Any) -> None:
    known = clinic_a.make_patient(first_name="Ada", email="ADA@example.org", phone=None)
    response = post_json(clinic_a.clinic, enquiry(email=" ada@EXAMPLE.org ", phone=""))
    assert response.status_code == 201
    assert [p.pk for p in patients(clinic_a.clinic)] == [known.pk]
    [enq] = enquiries(clinic_a.clinic)
    assert enq.patient_id == known.pk


def test_same_phone_in_another_format_gets_the_enquiry_on_the_existing_record(
    clinic_a: Any,
) -> None:
    known = clinic_a.make_patient(email=None, phone="+44 7700 900123", stage="patient")
    response = post_json(clinic_a.clinic, enquiry(email="new@example.org", phone="07700900123"))
    assert response.status_code == 201
    [patient] = patients(clinic_a.clinic)
    assert patient.pk == known.pk
    # The record is not rewritten from a public form; what differs is noted on the enquiry.
    assert patient.email is None
    assert patient.stage == "patient"
    [enq] = enquiries(clinic_a.clinic)
    assert enq.patient_id == known.pk
    assert "Details given with this enquiry:\nName: Ada Lovelace\nEmail: new@example.org" in (
        enq.message or ""
    )


def test_a_consent_grant_is_added_to_the_existing_record_but_nothing_is_withdrawn(
    clinic_a: Any,
) -> None:
    known = clinic_a.make_patient(email="ada@example.org", consent={"sms": True})
    response = post_json(
        clinic_a.clinic,
        enquiry(consent={"email": True, "sms": False}, consent_wording=WORDING),
    )
    assert response.status_code == 201
    [patient] = patients(clinic_a.clinic)
    assert patient.pk == known.pk
    assert patient.consent == {"sms": True, "email": True, "phone": False}
    with clinic_scope(clinic_a.clinic.pk):
        web = list(ConsentEvent.objects.filter(source="web_form").values_list("channel", "granted"))
    assert web == [("email", True)]


def test_clinic_b_never_reaches_clinic_a_s_patient(clinic_a: Any, clinic_b: Any) -> None:
    a_patient = clinic_a.make_patient(email="ada@example.org", phone="07700900123")
    response = post_json(
        clinic_b.clinic, enquiry(email="ada@example.org"), origin="https://bravo.example"
    )
    assert response.status_code == 201
    [b_patient] = patients(clinic_b.clinic)
    assert b_patient.pk != a_patient.pk
    assert b_patient.email == "ada@example.org"
    [b_enquiry] = enquiries(clinic_b.clinic)
    assert b_enquiry.patient_id == b_patient.pk
    assert enquiries(clinic_a.clinic) == []
    assert [p.pk for p in patients(clinic_a.clinic)] == [a_patient.pk]


def test_clinic_b_s_key_with_clinic_a_s_site_is_refused(clinic_a: Any, clinic_b: Any) -> None:
    clinic_a.make_patient(email="ada@example.org")
    response = post_json(clinic_b.clinic, enquiry(), origin="https://alpha.example")
    assert response.status_code == 403
    assert patients(clinic_b.clinic) == []
    assert enquiries(clinic_a.clinic) == []
