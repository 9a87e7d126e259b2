"""A member of clinic B reaches nothing of clinic A: every URL is a 404 and changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aescrm.accounts.models import ApiKey
from aescrm.assistant.knowledge import KnowledgeInput, knowledge_create
from aescrm.assistant.models import KnowledgeItem
from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Appointment, Patient, PatientNote
from aescrm.web.tests.support import SUMMER_DAY, add_note, book, member_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["owner", "receptionist"])
def test_it_answers_404_for_every_clinic_a_object_and_changes_nothing(
    clinic_a: Any, clinic_b: Any, role: str
) -> None:
    # Given a clinic-A patient with a note and an appointment
    patient = clinic_a.make_patient(
        first_name="Zebedee", last_name="Quixotic", phone="07700 900461"
    )
    add_note(clinic_a, patient, "Prefers mornings")
    appointment = book(clinic_a, patient, dt.datetime.combine(SUMMER_DAY, dt.time(10)))
    a_key = ApiKey.objects.get(clinic=clinic_a.clinic)
    with clinic_scope(clinic_a.clinic.pk):
        item = knowledge_create(
            caller=clinic_a.caller(),
            data=KnowledgeInput(kind="location", title="Parking?", answer="Behind the clinic."),
        )
    outsider = member_client(clinic_b, role)
    pid, aid = patient.pk, appointment.pk
    booking = {
        "patient": str(pid),
        "treatment": str(clinic_b.treatment.pk),
        "practitioner": str(clinic_b.practitioner.pk),
        "date": "2026-07-02",
        "start_time": "11:00",
    }

    # When clinic B's member tries every clinic-A object URL
    responses = {
        "profile": outsider.get(f"/patients/{pid}/"),
        "edit form": outsider.get(f"/patients/{pid}/edit"),
        "edit": outsider.post(
            f"/patients/{pid}/edit", {"first_name": "Hacked", "email": "x@example.com"}
        ),
        "note": outsider.post(f"/patients/{pid}/notes", {"body": "Hacked"}),
        "status": outsider.post(
            f"/calendar/appointments/{aid}/status",
            {"status": "cancelled", "cancellation_reason": "Hacked"},
        ),
        "booking form": outsider.get(f"/calendar/book?patient={pid}"),
        "booking": outsider.post("/calendar/book", booking),
        "calendar filter": outsider.get(
            f"/calendar/?date=2026-07-01&practitioner={clinic_a.practitioner.pk}"
        ),
    }
    if role == "owner":
        responses["revoke key"] = outsider.post(f"/settings/api-keys/{a_key.pk}/revoke")
        knowledge = f"/settings/assistant/knowledge/{item.pk}"
        edit = {"kind": "faq", "title": "Hacked", "answer": "Hacked"}
        responses["knowledge edit form"] = outsider.get(f"{knowledge}/edit")
        responses["knowledge edit"] = outsider.post(f"{knowledge}/edit", edit)
        responses["knowledge delete"] = outsider.post(f"{knowledge}/delete")

    # Then every answer is a 404 page
    assert {name: r.status_code for name, r in responses.items()} == dict.fromkeys(responses, 404)
    assert "That page does not exist, or you do not have access to it." in (
        responses["profile"].content.decode()
    )
    # And nothing of clinic A changed
    with clinic_scope(clinic_a.clinic.pk):
        fresh = Patient.objects.get(pk=pid)
        assert (fresh.first_name, fresh.email) == ("Zebedee", patient.email)
        assert [n.body for n in PatientNote.objects.all()] == ["Prefers mornings"]
        assert Appointment.objects.get(pk=aid).status == "booked"
        assert Appointment.objects.count() == 1
        assert [(k.title, k.answer) for k in KnowledgeItem.objects.all()] == [
            ("Parking?", "Behind the clinic.")
        ]
    a_key.refresh_from_db()
    assert a_key.revoked_at is None
    # And clinic B gained no appointment or note from it
    with clinic_scope(clinic_b.clinic.pk):
        assert Appointment.objects.count() == 0
        assert PatientNote.objects.count() == 0
        assert not AuditEntry.objects.filter(object_id=str(pid)).exists()


def test_it_does_not_list_or_find_clinic_a_patients_for_clinic_b(
    clinic_a: Any, clinic_b: Any
) -> None:
    clinic_a.make_patient(first_name="Zebedee", last_name="Quixotic", phone="07700 900461")
    outsider = member_client(clinic_b, "receptionist")

    listing = outsider.get("/patients/").content.decode()
    by_name = outsider.get("/patients/", {"q": "quixot"}).content.decode()
    by_phone = outsider.get("/patients/", {"q": "07700 900461"}).content.decode()

    assert "Zebedee" not in listing
    assert "No patients match “quixot”." in by_name
    assert "No patients match “07700 900461”." in by_phone
