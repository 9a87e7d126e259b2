"""Moving an appointment from the calendar: the Move form (no JavaScript, keyboard), and
the drag target (an htmx POST). Refusals say why; another clinic gets 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Appointment, Practitioner, WorkingHours
from aescrm.scheduling.models import BookingOverride, PractitionerBreak
from aescrm.web.tests.support import book, member_client, text

pytestmark = pytest.mark.django_db


def _coming(days: int = 3) -> dt.date:
    return dt.datetime.now(dt.UTC).date() + dt.timedelta(days=days)


@pytest.fixture
def booked(clinic_a: Any) -> Appointment:
    patient = clinic_a.make_patient(first_name="Zebedee", last_name="Quixotic")
    return book(clinic_a, patient, dt.datetime.combine(_coming(), dt.time(10)))


def _stored(world: Any, appointment: Appointment) -> Appointment:
    with clinic_scope(world.clinic.pk):
        return Appointment.objects.get(pk=appointment.pk)


def test_the_move_form_moves_it_and_says_where(clinic_a: Any, booked: Appointment) -> None:
    client = member_client(clinic_a, "receptionist")
    url = f"/calendar/appointments/{booked.pk}/move"
    day = _coming()

    form = text(client.get(url))
    response = client.post(url, {"date": day.isoformat(), "start_time": "15:15"})

    assert "<h1>Move an appointment</h1>" in form
    assert response.status_code == 302
    assert response["Location"] == f"/calendar/?date={day.isoformat()}&view=day"
    moved = _stored(clinic_a, booked)
    assert moved.starts_at == dt.datetime.combine(day, dt.time(15, 15), tzinfo=clinic_a.clinic.tz)
    assert moved.ends_at - moved.starts_at == dt.timedelta(minutes=30)
    page = text(client.get(response["Location"]))
    assert "Moved Zebedee Quixotic to 15:15 on" in page


def test_a_refused_move_shows_the_reason_and_changes_nothing(
    clinic_a: Any, booked: Appointment
) -> None:
    day = _coming()
    with clinic_scope(clinic_a.clinic.pk):
        PractitionerBreak.objects.create(
            practitioner=clinic_a.practitioner,
            weekday=day.weekday(),
            starts=dt.time(13),
            ends=dt.time(14),
        )
    client = member_client(clinic_a, "receptionist")

    response = client.post(
        f"/calendar/appointments/{booked.pk}/move",
        {"date": day.isoformat(), "start_time": "13:00"},
    )

    assert response.status_code == 400
    assert "Dr Test has a break from 13:00 to 14:00 on" in text(response)
    assert _stored(clinic_a, booked).starts_at == booked.starts_at


def test_the_override_on_the_form_moves_it_with_a_reason(
    clinic_a: Any, booked: Appointment
) -> None:
    day = _coming()
    client = member_client(clinic_a, "manager")

    response = client.post(
        f"/calendar/appointments/{booked.pk}/move",
        {
            "date": day.isoformat(),
            "start_time": "20:00",
            "override": "on",
            "override_reason": "Dr Test is staying late for her",
        },
    )

    assert response.status_code == 302, text(response)[:2000]
    with clinic_scope(clinic_a.clinic.pk):
        assert BookingOverride.objects.get(appointment=booked).rules == ["outside_hours"]


def test_a_drop_on_another_practitioners_column_moves_it_there(
    clinic_a: Any, booked: Appointment
) -> None:
    """What calendar.js sends on a drop: the answer tells htmx to reload the calendar."""
    day = _coming()
    with clinic_scope(clinic_a.clinic.pk):
        other = Practitioner.objects.create(display_name="Dr Other")
        WorkingHours.objects.create(
            practitioner=other, weekday=day.weekday(), starts=dt.time(9), ends=dt.time(17)
        )
    client = member_client(clinic_a, "receptionist")

    response = client.post(
        f"/calendar/appointments/{booked.pk}/move",
        {
            "date": day.isoformat(),
            "start_time": "11:00",
            "practitioner": str(other.pk),
            "next": f"/calendar/?date={day.isoformat()}",
        },
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 204
    assert response["HX-Redirect"] == f"/calendar/?date={day.isoformat()}"
    moved = _stored(clinic_a, booked)
    assert moved.practitioner_id == other.pk
    assert moved.starts_at == dt.datetime.combine(day, dt.time(11), tzinfo=clinic_a.clinic.tz)


def test_a_refused_drop_says_why_and_links_to_the_form(clinic_a: Any, booked: Appointment) -> None:
    day = _coming()
    with clinic_scope(clinic_a.clinic.pk):
        other = Practitioner.objects.create(display_name="Dr Other")  # works no days at all
    client = member_client(clinic_a, "receptionist")

    response = client.post(
        f"/calendar/appointments/{booked.pk}/move",
        {"date": day.isoformat(), "start_time": "11:00", "practitioner": str(other.pk)},
        headers={"HX-Request": "true"},
    )

    page = text(response)
    assert response.status_code == 200
    assert f"Not moved: Dr Other does not work on {day:%A}s" in page
    assert f"/calendar/appointments/{booked.pk}/move?date={day.isoformat()}" in page
    assert _stored(clinic_a, booked).practitioner_id == clinic_a.practitioner.pk


def test_the_calendar_offers_dragging_and_a_move_link(clinic_a: Any, booked: Appointment) -> None:
    day = _coming()

    page = text(member_client(clinic_a, "receptionist").get(f"/calendar/?date={day.isoformat()}"))

    assert f'id="appointment-{booked.pk}"' in page and 'draggable="true"' in page
    assert f'data-drop-date="{day.isoformat()}"' in page
    assert f'href="/calendar/appointments/{booked.pk}/move?next=' in page
    assert "web/calendar.js" in page


def test_a_marketer_may_not_move_and_nothing_changes(clinic_a: Any, booked: Appointment) -> None:
    response = member_client(clinic_a, "marketer").post(
        f"/calendar/appointments/{booked.pk}/move",
        {"date": _coming().isoformat(), "start_time": "15:00"},
    )

    assert response.status_code == 403
    assert _stored(clinic_a, booked).starts_at == booked.starts_at


def test_another_clinic_gets_404_and_nothing_changes(
    clinic_a: Any, clinic_b: Any, booked: Appointment
) -> None:
    client = member_client(clinic_b, "owner")
    url = f"/calendar/appointments/{booked.pk}/move"

    seen = client.get(url)
    moved = client.post(url, {"date": _coming().isoformat(), "start_time": "15:00"})

    assert seen.status_code == 404 and moved.status_code == 404
    assert _stored(clinic_a, booked).starts_at == booked.starts_at
