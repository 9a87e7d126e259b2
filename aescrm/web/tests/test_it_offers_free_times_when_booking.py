"""The booking form lists free times (htmx, or the "Show free times" button), books the
one chosen, and says why a time is refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Appointment, Practitioner, WorkingHours
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db


def _next_weekday(weekday: int) -> dt.date:
    today = dt.datetime.now(dt.UTC).date()
    return today + dt.timedelta(days=(weekday - today.weekday()) % 7 + 7)


@pytest.fixture
def smith(clinic_a: Any) -> Practitioner:
    with clinic_scope(clinic_a.clinic.pk):
        smith = Practitioner.objects.create(display_name="Dr Smith")
        WorkingHours.objects.create(
            practitioner=smith, weekday=0, starts=dt.time(9), ends=dt.time(10)
        )
    return smith


def test_it_lists_the_free_times_of_the_day(clinic_a: Any, smith: Practitioner) -> None:
    monday = _next_weekday(0)
    client = member_client(clinic_a, "receptionist")

    page = text(
        client.get(
            "/calendar/book/slots",
            {
                "treatment": str(clinic_a.treatment.pk),
                "practitioner": str(smith.pk),
                "date": monday.isoformat(),
            },
            headers={"HX-Request": "true"},
        )
    )

    assert page.count('type="radio" name="slot"') == 3
    assert "09:00–09:30 · Dr Smith" in page and "09:30–10:00 · Dr Smith" in page


def test_the_chosen_free_time_is_booked(clinic_a: Any, smith: Practitioner) -> None:
    monday = _next_weekday(0)
    patient = clinic_a.make_patient(first_name="Ada", last_name="Lovelace")
    nine_fifteen = dt.datetime.combine(monday, dt.time(9, 15), tzinfo=clinic_a.clinic.tz)
    client = member_client(clinic_a, "receptionist")

    shown = client.post(
        "/calendar/book",
        {
            "patient": str(patient.pk),
            "treatment": str(clinic_a.treatment.pk),
            "practitioner": str(smith.pk),
            "date": monday.isoformat(),
            "show_slots": "1",
        },
    )
    booked = client.post(
        "/calendar/book",
        {
            "patient": str(patient.pk),
            "treatment": str(clinic_a.treatment.pk),
            "slot": f"{smith.pk}|{nine_fifteen.astimezone(dt.UTC).isoformat()}",
        },
    )

    assert "09:15–09:45 · Dr Smith" in text(shown)
    assert booked.status_code == 302, text(booked)[:3000]
    with clinic_scope(clinic_a.clinic.pk):
        appointment = Appointment.objects.get()
    assert (appointment.practitioner_id, appointment.starts_at) == (smith.pk, nine_fifteen)


def test_a_refused_time_says_why_on_the_form(clinic_a: Any, smith: Practitioner) -> None:
    sunday = _next_weekday(6)
    patient = clinic_a.make_patient(first_name="Ada", last_name="Lovelace")

    response = member_client(clinic_a, "receptionist").post(
        "/calendar/book",
        {
            "patient": str(patient.pk),
            "treatment": str(clinic_a.treatment.pk),
            "practitioner": str(smith.pk),
            "date": sunday.isoformat(),
            "start_time": "10:00",
        },
    )

    assert response.status_code == 400
    assert "Dr Smith does not work on Sundays" in text(response)
    with clinic_scope(clinic_a.clinic.pk):
        assert not Appointment.objects.exists()


def test_another_clinics_treatment_lists_nothing(clinic_a: Any, clinic_b: Any) -> None:
    page = text(
        member_client(clinic_b, "receptionist").get(
            "/calendar/book/slots",
            {"treatment": str(clinic_a.treatment.pk), "date": _next_weekday(0).isoformat()},
        )
    )

    assert "No such treatment in this clinic." in page
    assert 'name="slot"' not in page


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("owner", 200),
        ("manager", 200),
        ("receptionist", 200),
        ("clinician", 200),
        ("marketer", 403),
        ("auditor", 403),
    ],
)
def test_only_roles_that_book_see_free_times(clinic_a: Any, role: str, status: int) -> None:
    response = member_client(clinic_a, role).get(
        "/calendar/book/slots",
        {"treatment": str(clinic_a.treatment.pk), "date": _next_weekday(0).isoformat()},
    )

    assert response.status_code == status
