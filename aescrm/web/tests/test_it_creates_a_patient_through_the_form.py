"""The "New patient" form: contact details normalised, consent recorded with the wording shown."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Patient
from aescrm.web.forms import consent_wording
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db

FORM = {
    "first_name": "Zebedee",
    "last_name": "Quixotic-Farnsworth",
    "email": "Zeb.Quixotic@Example.org",
    "phone": "07700 900461",
    "date_of_birth": "1986-04-12",
    "address": "1 High Street\nLeeds LS1 1AA",
    "notes": "Nervous patient",
    "consent_sms": "on",
    "consent_email": "on",
}
WORDING = (
    "Alpha Dental would like to send you news and offers about our treatments. "
    "Tick each way you are happy to hear from us: text message, email, phone. "
    "You can change your mind at any time."
)


def test_it_shows_the_consent_wording_on_the_form(clinic_a: Any) -> None:
    page = text(member_client(clinic_a, "receptionist").get("/patients/new"))

    assert consent_wording("Alpha Dental") == WORDING
    assert WORDING in page
    assert '<label for="id_consent_sms">Text message (SMS)</label>' in page
    assert page.count("<h1>") == 1


def test_it_creates_the_patient_and_opens_their_profile(clinic_a: Any) -> None:
    client = member_client(clinic_a, "receptionist")

    response = client.post("/patients/new", FORM)

    with clinic_scope(clinic_a.clinic.pk):
        patient = Patient.objects.get()
        events = [(e.channel, e.granted, e.source, e.wording) for e in patient.consent_events.all()]
        created = AuditEntry.objects.filter(action="patient.create", object_id=str(patient.pk))
        assert created.count() == 1
    assert response.status_code == 302
    assert response["Location"] == f"/patients/{patient.pk}/"
    assert (patient.first_name, patient.last_name) == ("Zebedee", "Quixotic-Farnsworth")
    assert patient.email == "zeb.quixotic@example.org"
    assert patient.phone == "+447700900461"
    assert patient.date_of_birth == "1986-04-12"
    assert patient.address == "1 High Street\nLeeds LS1 1AA"
    assert patient.notes == "Nervous patient"
    assert patient.owner_id == clinic_a.users["receptionist"].pk
    assert patient.consent == {"sms": True, "email": True, "phone": False}
    assert sorted(events) == [
        ("email", True, "staff", WORDING),
        ("sms", True, "staff", WORDING),
    ]
    profile = text(client.get(response["Location"]))
    assert "Zebedee Quixotic-Farnsworth has been added." in profile
    assert "07700 900461" in profile
    assert "12 April 1986" in profile


def test_it_shows_a_missing_contact_detail_against_the_email_field_and_saves_nothing(
    clinic_a: Any,
) -> None:
    client = member_client(clinic_a, "receptionist")

    response = client.post("/patients/new", {**FORM, "email": "", "phone": ""})

    page = text(response)
    assert response.status_code == 400
    assert (
        '<p class="error" id="id_email_error">A patient needs an email address or a phone number'
        in page
    )
    assert 'aria-invalid="true"' in page
    assert 'value="Zebedee"' in page  # what was typed is kept
    with clinic_scope(clinic_a.clinic.pk):
        assert Patient.objects.count() == 0


def test_it_shows_a_bad_phone_number_against_the_phone_field(clinic_a: Any) -> None:
    response = member_client(clinic_a, "receptionist").post(
        "/patients/new", {**FORM, "phone": "not a number"}
    )

    assert response.status_code == 400
    assert (
        '<p class="error" id="id_phone_error">&#x27;not a number&#x27; is not a phone number'
        in text(response)
    )


def test_it_refuses_a_second_patient_with_the_same_email(clinic_a: Any) -> None:
    client = member_client(clinic_a, "receptionist")
    client.post("/patients/new", FORM)

    response = client.post("/patients/new", {**FORM, "phone": "07700 900999"})

    assert response.status_code == 400
    assert "Another patient already has this email" in text(response)
    with clinic_scope(clinic_a.clinic.pk):
        assert Patient.objects.count() == 1


def test_it_edits_a_patient_and_records_a_consent_withdrawal(clinic_a: Any) -> None:
    client = member_client(clinic_a, "receptionist")
    client.post("/patients/new", FORM)
    with clinic_scope(clinic_a.clinic.pk):
        pid = Patient.objects.get().pk

    form = text(client.get(f"/patients/{pid}/edit"))
    response = client.post(
        f"/patients/{pid}/edit",
        {**FORM, "last_name": "Farnsworth", "date_of_birth": "", "consent_sms": ""},
    )

    assert 'value="1986-04-12"' in form
    assert response.status_code == 302
    with clinic_scope(clinic_a.clinic.pk):
        patient = Patient.objects.get(pk=pid)
        withdrawn = patient.consent_events.filter(channel="sms", granted=False).get()
        update = AuditEntry.objects.get(action="patient.update", object_id=str(pid))
    assert patient.last_name == "Farnsworth"
    assert patient.date_of_birth is None
    assert patient.consent == {"sms": False, "email": True, "phone": False}
    assert withdrawn.wording == WORDING
    assert update.detail == {"fields": ["consent_sms", "date_of_birth", "last_name"]}


def test_a_clinician_is_told_when_they_will_see_the_patient_they_added(clinic_a: Any) -> None:
    client = member_client(clinic_a, "clinician")

    response = client.post("/patients/new", FORM)

    assert response.status_code == 302
    assert response["Location"] == "/patients/"
    assert (
        "Zebedee Quixotic-Farnsworth has been added. You will see them here once they have an "
        "appointment with you."
    ) in text(client.get("/patients/"))
