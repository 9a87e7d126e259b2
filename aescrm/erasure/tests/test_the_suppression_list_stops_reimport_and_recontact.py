"""After erasure the person's email and phone are on the suppression list (keyed hashes only):
staff and API re-creating them are refused until they confirm; automation and bulk sends skip
the addresses; the person getting in touch themselves is a new lead and lifts the entry."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.erasure.models import Suppression
from aescrm.erasure.tests.support import EMAIL, PHONE
from aescrm.inbox.reasons import blocked
from aescrm.messaging.policy import MessageRefused
from aescrm.messaging.services import message_queue
from aescrm.patients import services
from aescrm.patients.models import Patient
from aescrm.public.services import find_patient
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db


def test_the_list_holds_keyed_hashes_only(clinic_a: ClinicWorld, erased: Patient) -> None:
    with clinic_scope(clinic_a.clinic.pk):
        rows = list(Suppression.objects.values("kind", "value_hash"))
    assert sorted(r["kind"] for r in rows) == ["email", "phone"]
    for row in rows:
        assert len(row["value_hash"]) == 64 and "gwen" not in row["value_hash"]
        assert "7700900777" not in row["value_hash"]


def test_api_re_import_is_refused_until_confirmed(clinic_a: ClinicWorld, erased: Patient) -> None:
    api = clinic_a.api()
    person = {"first_name": "Gwen", "last_name": "Morgan", "email": "  Gwen.Morgan@Example.org"}

    refused = api.post("/api/v1/patients", person)
    by_phone = api.post("/api/v1/patients", {"first_name": "G", "phone": "07700 900777"})
    confirmed = api.post("/api/v1/patients?confirm_erased=true", person)

    problem = refused.json()
    assert refused.status_code == 409 and problem["type"].endswith("/erased-person")
    assert problem["detail"].startswith("this person asked to be erased on ")
    assert "confirm" in problem["detail"] and problem["erased_on"]
    assert by_phone.status_code == 409
    assert confirmed.status_code == 201
    with clinic_scope(clinic_a.clinic.pk):
        # Only the confirmed address comes off the list; the phone stays suppressed.
        assert list(Suppression.objects.values_list("kind", flat=True)) == ["phone"]
        lifted = AuditEntry.objects.get(action="privacy.suppression.lifted")
    assert lifted.detail["why"] == "staff_confirmed"


def test_staff_are_warned_on_the_new_patient_form(clinic_a: ClinicWorld, erased: Patient) -> None:
    client = member_client(clinic_a, "receptionist")
    form = {"first_name": "Gwen", "last_name": "Morgan", "email": EMAIL}

    warned = client.post("/patients/new", form)
    added = client.post("/patients/new", {**form, "confirm_erased": "on"})

    assert warned.status_code == 409
    page = text(warned)
    assert "This person asked to be erased on" in page
    assert "got in touch again and asked to be added back" in page
    assert added.status_code == 302
    with clinic_scope(clinic_a.clinic.pk):
        assert find_patient(EMAIL, "") is not None


def test_a_correction_to_an_erased_persons_address_is_asked_about(
    clinic_a: ClinicWorld, erased: Patient
) -> None:
    """Changing someone else's email or phone to the erased person's is the same question as
    adding them again: refused until confirmed, on the API and on the edit form."""
    other = clinic_a.make_patient(first_name="Rhian", email="rhian@example.org")
    api = clinic_a.api()

    refused = api.patch(f"/api/v1/patients/{other.pk}", {"email": EMAIL})
    unchanged_name = api.patch(f"/api/v1/patients/{other.pk}", {"first_name": "Rhiannon"})
    client = member_client(clinic_a, "receptionist")
    form = {"first_name": "Rhiannon", "last_name": "Patient", "phone": "07700 900777"}
    warned = client.post(f"/patients/{other.pk}/edit", {**form, "email": "rhian@example.org"})

    assert refused.status_code == 409 and refused.json()["type"].endswith("/erased-person")
    assert unchanged_name.status_code == 200  # other changes are not held up
    assert warned.status_code == 409
    assert "got in touch again and asked to be added back" in text(warned)
    with clinic_scope(clinic_a.clinic.pk):
        kept = Patient.objects.get(pk=other.pk)
        assert (kept.email, kept.phone) == ("rhian@example.org", None)
        assert Suppression.objects.count() == 2

    confirmed = api.patch(f"/api/v1/patients/{other.pk}?confirm_erased=true", {"email": EMAIL})
    assert confirmed.status_code == 200
    with clinic_scope(clinic_a.clinic.pk):
        assert list(Suppression.objects.values_list("kind", flat=True)) == ["phone"]


def test_automation_and_bulk_sends_skip_a_suppressed_address(
    clinic_a: ClinicWorld, erased: Patient
) -> None:
    # Given another patient with the erased person's phone on their record (a family phone
    # the record already had: staff adding it now would be asked first, as tested above)
    other = clinic_a.make_patient(first_name="Siân", email="sian@example.org")
    with clinic_scope(clinic_a.clinic.pk):
        other.phone = PHONE
        other.save()
        services.patient_update(
            caller=clinic_a.caller(),
            patient=other,
            data=services.PatientInput(consent={"sms": True}),
        )
        # When automation (and any send) queues a text, or a bulk send checks the list
        with pytest.raises(MessageRefused) as refused:
            message_queue(caller=clinic_a.caller(), patient=other, body="Reminder", kind="service")
        bulk = blocked(other, channel="sms", kind="marketing", tz=clinic_a.clinic.tz)
        email_ok = blocked(other, channel="email", kind="service", tz=clinic_a.clinic.tz)
    # Then the phone is skipped, with the reason, and the email still works
    assert refused.value.reason == "erased"
    assert "asked to be erased on" in refused.value.detail
    assert bulk is not None and bulk.label == "Asked to be erased"
    assert email_ok is None


def test_the_person_writing_in_again_is_a_new_lead(
    clinic_a: ClinicWorld, erased: Patient, client: Any
) -> None:
    response = client.post(
        f"/public/v1/{clinic_a.clinic.public_key}/enquiries",
        {"first_name": "Gwen", "email": EMAIL, "message": "I'd like to come back"},
        content_type="application/json",
        HTTP_ORIGIN="https://alpha.example",
    )

    assert response.status_code == 201, response.content
    with clinic_scope(clinic_a.clinic.pk):
        back = find_patient(EMAIL, "")
        assert back is not None and back.pk != erased.pk
        assert list(Suppression.objects.values_list("kind", flat=True)) == ["phone"]
        lifted = AuditEntry.objects.get(action="privacy.suppression.lifted")
    assert lifted.detail["why"] == "self_initiated"
