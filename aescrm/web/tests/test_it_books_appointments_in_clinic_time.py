"""Booking: local wall-clock time in the clinic's zone, stored in UTC; double booking refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Appointment
from aescrm.web.tests.support import SUMMER_DAY, book, member_client, text

pytestmark = pytest.mark.django_db


def _form(world: Any, patient: Any, **overrides: str) -> dict[str, str]:
    return {
        "patient": str(patient.pk),
        "treatment": str(world.treatment.pk),
        "practitioner": str(world.practitioner.pk),
        "date": SUMMER_DAY.isoformat(),
        "start_time": "10:00",
        **overrides,
    }


def test_it_books_at_the_local_time_and_stores_utc(clinic_a: Any) -> None:
    # Given a patient and the booking form opened from their profile
    patient = clinic_a.make_patient(first_name="Zebedee", last_name="Quixotic")
    client = member_client(clinic_a, "receptionist")
    form_page = text(client.get(f"/calendar/book?patient={patient.pk}"))

    # When the receptionist books 10:00 on a summer day (BST, UTC+1), now past: entered
    # after the fact, setting the no-past-bookings rule aside
    response = client.post(
        "/calendar/book",
        _form(clinic_a, patient, override="on", override_reason="Entering a past visit"),
    )

    # Then the appointment starts at 09:00 UTC and lasts as long as the treatment
    assert "Zebedee Quixotic" in form_page
    assert response.status_code == 302
    assert response["Location"] == "/calendar/?date=2026-07-01&view=day"
    with clinic_scope(clinic_a.clinic.pk):
        appointment = Appointment.objects.get()
    assert appointment.starts_at == dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.UTC)
    assert appointment.ends_at == dt.datetime(2026, 7, 1, 9, 30, tzinfo=dt.UTC)
    assert appointment.patient_id == patient.pk
    # And the day view shows it at 10:00 clinic time, in Dr Test's column
    day = text(client.get(response["Location"]))
    assert "Booked Zebedee Quixotic with Dr Test on Wednesday 1 July at 10:00." in day
    assert '<th scope="col">Dr Test</th>' in day
    row = day.split('<th scope="row" class="hour-col">10:00</th>')[1].split("</tr>")[0]
    assert "10:00</time>–<time" in row
    assert f'href="/patients/{patient.pk}/">Zebedee Quixotic</a>' in row


def test_it_shows_a_double_booking_as_a_form_error_and_creates_nothing(clinic_a: Any) -> None:
    # Given Dr Test is booked 10:00–10:30
    first = clinic_a.make_patient(first_name="First", last_name="Patient")
    second = clinic_a.make_patient(first_name="Second", last_name="Patient")
    book(clinic_a, first, dt.datetime.combine(SUMMER_DAY, dt.time(10)))
    client = member_client(clinic_a, "receptionist")

    # When someone books another patient with Dr Test at 10:15
    response = client.post("/calendar/book", _form(clinic_a, second, start_time="10:15"))

    # Then the form says why, against the start time, and nothing is created
    page = text(response)
    assert response.status_code == 400
    assert (
        '<p class="error" id="id_start_time_error">'
        "Dr Test already has an appointment at that time</p>"
    ) in page
    assert '<h2 id="form-errors-title">There is a problem</h2>' in page
    with clinic_scope(clinic_a.clinic.pk):
        assert Appointment.objects.count() == 1
        assert Appointment.objects.get().patient_id == first.pk


def test_it_refuses_a_time_skipped_when_the_clocks_go_forward(clinic_a: Any) -> None:
    patient = clinic_a.make_patient()
    client = member_client(clinic_a, "receptionist")

    response = client.post(
        "/calendar/book", _form(clinic_a, patient, date="2026-03-29", start_time="01:30")
    )

    assert response.status_code == 400
    assert "That time does not exist on that date because the clocks go forward." in text(response)
    with clinic_scope(clinic_a.clinic.pk):
        assert Appointment.objects.count() == 0


def test_it_asks_for_missing_fields(clinic_a: Any) -> None:
    patient = clinic_a.make_patient()

    response = member_client(clinic_a, "receptionist").post(
        "/calendar/book", {"patient": str(patient.pk), "date": "", "start_time": ""}
    )

    page = text(response)
    assert response.status_code == 400
    for message in ("Choose a treatment.", "Choose a practitioner.", "Enter the date."):
        assert message in page
    assert "Enter the start time." in page


def test_it_finds_a_patient_to_book_by_search(clinic_a: Any) -> None:
    patient = clinic_a.make_patient(
        first_name="Zebedee", last_name="Quixotic", phone="07700 900461"
    )

    page = text(member_client(clinic_a, "receptionist").get("/calendar/book", {"q": "quix"}))

    assert f'<a href="/calendar/book?patient={patient.pk}">Choose Zebedee Quixotic</a>' in page
