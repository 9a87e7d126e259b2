"""Every endpoint of the API on its happy path, with the exact fields it answers."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from aescrm.api.tests.helpers import LONDON, booking, slot, utc_json
from aescrm.core.tenancy import clinic_scope
from aescrm.patients import services
from aescrm.patients.models import Appointment, ConsentEvent, Enquiry, Patient

pytestmark = pytest.mark.django_db

ADA = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "Ada@Example.org",
    "phone": "07700 900123",
    "date_of_birth": "1985-12-10",
    "address": "12 St James's Square, London",
    "notes": "Prefers mornings",
    "stage": "lead",
    "tags": ["invisalign", "vip", "vip"],
    "consent": {"sms": True, "email": False},
    "consent_wording": "Text me offers",
}


def _patient_body(patient_id: str, **changes: Any) -> dict[str, Any]:
    return {
        "id": patient_id,
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.org",
        "phone": "+447700900123",
        "date_of_birth": "1985-12-10",
        "address": "12 St James's Square, London",
        "notes": "Prefers mornings",
        "stage": "lead",
        "tags": ["invisalign", "vip"],
        "consent": {"sms": True, "email": False, "phone": False, "ad_measurement": None},
        "restricted": False,
        "objects_to_profiling": False,
        **changes,
    }


def _without_times(body: dict[str, Any]) -> dict[str, Any]:
    for name in ("created_at", "updated_at"):
        assert dt.datetime.fromisoformat(body.pop(name)).utcoffset() == dt.timedelta(0)
    return body


@pytest.fixture
def ada(clinic_a: Any) -> dict[str, Any]:
    response = clinic_a.api().post("/api/v1/patients", ADA)
    assert response.status_code == 201, response.content
    return response.json()


def test_post_patients_creates_and_answers_the_patient(clinic_a: Any, ada: dict[str, Any]) -> None:
    """201 with the normalised patient; the consent history records source and wording."""
    assert _without_times(dict(ada)) == _patient_body(ada["id"])
    assert uuid.UUID(ada["id"]).version == 4
    with clinic_scope(clinic_a.clinic.pk):
        events = list(ConsentEvent.objects.values_list("channel", "granted", "source", "wording"))
    assert events == [("sms", True, "api", "Text me offers")]


def test_get_patients_lists_newest_first(clinic_a: Any, ada: dict[str, Any]) -> None:
    """The list holds whole patient objects and no cursor when everything fits."""
    second = clinic_a.api().post("/api/v1/patients", {"first_name": "Bo", "phone": "07700900124"})

    body = clinic_a.api().get("/api/v1/patients").json()

    assert [p["id"] for p in body["items"]] == [second.json()["id"], ada["id"]]
    assert _without_times(body["items"][1]) == _patient_body(ada["id"])
    assert body["next_cursor"] is None


def test_get_patient_answers_one_patient(clinic_a: Any, ada: dict[str, Any]) -> None:
    """GET /patients/{id}: the whole patient object."""
    response = clinic_a.api().get(f"/api/v1/patients/{ada['id']}")

    assert response.status_code == 200
    # A patient created through the API came through no website visit.
    assert _without_times(response.json()) == {
        **_patient_body(ada["id"]),
        "first_touch": None,
        "last_touch": None,
    }


def test_patch_patient_changes_only_what_is_sent(clinic_a: Any, ada: dict[str, Any]) -> None:
    """Fields left out stay; null clears a personal field; consent changes are recorded."""
    response = clinic_a.api().patch(
        f"/api/v1/patients/{ada['id']}",
        {
            "last_name": "King",
            "address": None,
            "stage": "patient",
            "consent": {"email": True},
            "consent_wording": "Email me",
        },
    )

    assert response.status_code == 200, response.content
    assert _without_times(response.json()) == _patient_body(
        ada["id"],
        last_name="King",
        address=None,
        stage="patient",
        consent={"sms": True, "email": True, "phone": False, "ad_measurement": None},
    )
    with clinic_scope(clinic_a.clinic.pk):
        stored = Patient.objects.get(pk=ada["id"])
        assert (stored.last_name, stored.address, stored.consent_email) == ("King", None, True)
        email_events = ConsentEvent.objects.filter(channel="email")
        assert list(email_events.values_list("granted", "source", "wording")) == [
            (True, "api", "Email me")
        ]


def test_delete_patient_removes_them(clinic_a: Any, ada: dict[str, Any]) -> None:
    """DELETE: 204 with no body; the patient is gone."""
    api = clinic_a.api()

    response = api.delete(f"/api/v1/patients/{ada['id']}")

    assert response.status_code == 204
    assert response.content == b""
    assert api.get(f"/api/v1/patients/{ada['id']}").status_code == 404
    with clinic_scope(clinic_a.clinic.pk):
        assert Patient.objects.filter(pk=ada["id"]).exists() is False


def test_timeline_merges_enquiries_appointments_and_notes_newest_first(
    clinic_a: Any, ada: dict[str, Any]
) -> None:
    """One list of enquiries, appointments and notes, newest first, with their text."""
    api = clinic_a.api()
    enquiry = api.post(
        "/api/v1/enquiries", {"patient": ada["id"], "channel": "phone", "message": "Whitening?"}
    ).json()
    starts = slot(days=2)
    appointment = api.post("/api/v1/appointments", booking(clinic_a, ada["id"], starts)).json()
    with clinic_scope(clinic_a.clinic.pk):
        patient = Patient.objects.get(pk=ada["id"])
        note = services.note_add(caller=clinic_a.caller(), patient=patient, body="Nervous patient")

    response = api.get(f"/api/v1/patients/{ada['id']}/timeline")

    assert response.status_code == 200
    assert response.json() == [
        {
            "type": "appointment",
            "id": appointment["id"],
            "at": utc_json(starts),
            "summary": "Hygienist appointment with Dr Test",
            "status": "booked",
            "channel": None,
            "direction": None,
            "body": None,
            "turns": None,
        },
        {
            "type": "note",
            "id": str(note.pk),
            "at": utc_json(note.created_at),
            "summary": "Note",
            "status": None,
            "channel": None,
            "direction": None,
            "body": "Nervous patient",
            "turns": None,
        },
        {
            "type": "enquiry",
            "id": enquiry["id"],
            "at": enquiry["created_at"],
            "summary": "Enquiry by Phone",
            "status": "new",
            "channel": "phone",
            "direction": None,
            "body": "Whitening?",
            "turns": None,
        },
    ]


def test_post_and_get_enquiries(clinic_a: Any, ada: dict[str, Any]) -> None:
    """POST answers the enquiry; GET lists newest first and filters by patient."""
    api = clinic_a.api()
    other = api.post("/api/v1/patients", {"first_name": "Bo", "phone": "07700900124"}).json()

    response = api.post(
        "/api/v1/enquiries",
        {
            "patient": ada["id"],
            "channel": "web_form",
            "treatment": str(clinic_a.treatment.pk),
            "message": "Do you do evenings?",
        },
    )
    api.post("/api/v1/enquiries", {"patient": other["id"], "channel": "walk_in"})

    assert response.status_code == 201, response.content
    created = response.json()
    assert dt.datetime.fromisoformat(created.pop("created_at")).utcoffset() == dt.timedelta(0)
    assert created == {
        "id": created["id"],
        "patient": ada["id"],
        "channel": "web_form",
        "treatment": str(clinic_a.treatment.pk),
        "message": "Do you do evenings?",
        "status": "new",
    }
    everything = api.get("/api/v1/enquiries").json()
    assert [e["patient"] for e in everything] == [other["id"], ada["id"]]
    mine = api.get("/api/v1/enquiries", {"patient": ada["id"]}).json()
    assert [e["id"] for e in mine] == [created["id"]]
    assert mine[0]["message"] == "Do you do evenings?"
    with clinic_scope(clinic_a.clinic.pk):
        assert Enquiry.objects.count() == 2


def test_get_treatments_lists_the_active_catalogue(clinic_a: Any) -> None:
    """The clinic's active treatments with duration and price in pence."""
    response = clinic_a.api().get("/api/v1/treatments")

    assert response.status_code == 200
    assert response.json() == [
        {
            "id": str(clinic_a.treatment.pk),
            "name": "Hygienist appointment",
            "category": "Dental",
            "duration_minutes": 30,
            "buffer_before_minutes": 0,
            "buffer_after_minutes": 0,
            "price_pence": 7500,
            "prescription_medicine": False,
        }
    ]


def test_get_practitioners_lists_them_with_working_hours(clinic_a: Any) -> None:
    """Active practitioners, each with their weekly hours."""
    response = clinic_a.api().get("/api/v1/practitioners")

    assert response.status_code == 200
    assert response.json() == [
        {
            "id": str(clinic_a.practitioner.pk),
            "display_name": "Dr Test",
            "profession": "Dentist",
            "registration": "",
            "working_hours": [
                {"weekday": day, "starts": "08:00:00", "ends": "20:00:00"} for day in range(7)
            ],
        }
    ]


def test_post_appointment_books_with_the_end_from_the_treatment(
    clinic_a: Any, ada: dict[str, Any]
) -> None:
    """The end defaults to start + duration, the value to the price; the lead becomes a patient."""
    starts = slot(days=3, hour=14)

    response = clinic_a.api().post("/api/v1/appointments", booking(clinic_a, ada["id"], starts))

    assert response.status_code == 201, response.content
    body = response.json()
    ends = starts + dt.timedelta(minutes=30)
    assert body == {
        "id": body["id"],
        "patient": ada["id"],
        "treatment": str(clinic_a.treatment.pk),
        "practitioner": str(clinic_a.practitioner.pk),
        "starts_at": utc_json(starts),
        "ends_at": utc_json(ends),
        "starts_at_local": starts.astimezone(LONDON).isoformat(),
        "ends_at_local": ends.astimezone(LONDON).isoformat(),
        "timezone": "Europe/London",
        "status": "booked",
        "value_pence": 7500,
        "cancellation_reason": "",
    }
    with clinic_scope(clinic_a.clinic.pk):
        stored = Appointment.objects.get(pk=body["id"])
        assert (stored.starts_at, stored.ends_at) == (starts, ends)
        assert Patient.objects.get(pk=ada["id"]).stage == "patient"


def test_get_appointments_lists_a_window_and_one_by_id(clinic_a: Any, ada: dict[str, Any]) -> None:
    """The default window holds upcoming appointments; from/to narrow it; one by id."""
    api = clinic_a.api()
    soon = api.post("/api/v1/appointments", booking(clinic_a, ada["id"], slot(days=1))).json()
    later = api.post("/api/v1/appointments", booking(clinic_a, ada["id"], slot(days=5))).json()

    everything = api.get("/api/v1/appointments").json()
    window = api.get(
        "/api/v1/appointments",
        {"from": slot(days=4).isoformat(), "to": slot(days=6).isoformat()},
    ).json()
    one = api.get(f"/api/v1/appointments/{soon['id']}")

    assert everything == [soon, later]
    assert window == [later]
    assert one.status_code == 200
    # One by id adds its scheduled messages (none: this clinic has no automations on).
    assert one.json() == {**soon, "scheduled_messages": []}


def test_patch_appointment_reschedules_and_cancels(clinic_a: Any, ada: dict[str, Any]) -> None:
    """Moving keeps the length; cancelling needs a reason and frees the slot."""
    api = clinic_a.api()
    booked = api.post("/api/v1/appointments", booking(clinic_a, ada["id"], slot(days=1))).json()
    url = f"/api/v1/appointments/{booked['id']}"
    moved_to = slot(days=2, hour=11)

    moved = api.patch(url, {"starts_at": moved_to.isoformat(), "status": "confirmed"})
    cancelled = api.patch(url, {"status": "cancelled", "cancellation_reason": "Patient unwell"})

    assert moved.status_code == 200, moved.content
    assert moved.json()["starts_at"] == utc_json(moved_to)
    assert moved.json()["ends_at"] == utc_json(moved_to + dt.timedelta(minutes=30))
    assert moved.json()["status"] == "confirmed"
    assert cancelled.status_code == 200, cancelled.content
    assert cancelled.json() == {
        **moved.json(),
        "status": "cancelled",
        "cancellation_reason": "Patient unwell",
    }
    # The freed slot can be booked again.
    again = api.post("/api/v1/appointments", booking(clinic_a, ada["id"], moved_to))
    assert again.status_code == 201, again.content


def test_get_audit_lists_the_clinics_entries_newest_first(
    clinic_a: Any, ada: dict[str, Any]
) -> None:
    """Filtered by action prefix, newest first, with every documented field."""
    api = clinic_a.api()
    api.get(f"/api/v1/patients/{ada['id']}")

    response = api.get("/api/v1/audit", {"action": "patient.", "limit": 10})

    assert response.status_code == 200
    body = response.json()
    assert [(e["action"], e["object_id"]) for e in body["items"]] == [
        ("patient.read", ada["id"]),
        ("patient.create", ada["id"]),
    ]
    read = body["items"][0]
    assert set(read) == {
        "id", "occurred_at", "actor_type", "actor_id", "actor_label", "ip", "request_id",
        "action", "object_type", "object_id", "purpose", "detail", "seq", "entry_hash",
    }  # fmt: skip
    assert (read["actor_type"], read["ip"], read["purpose"]) == ("api_key", "127.0.0.1", "api read")
    assert body["next_cursor"] is None
