"""Moving an appointment follows the booking rules; changing its status does not."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aescrm.api.tests.helpers import assert_problem, booking
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Appointment
from aescrm.scheduling.models import BookingOverride, PractitionerBreak
from aescrm.scheduling.tests.support import LONDON, local

pytestmark = pytest.mark.django_db


def _in(days: int) -> dt.date:
    return dt.datetime.now(LONDON).date() + dt.timedelta(days=days)


def test_moving_into_a_break_is_refused_and_with_an_override_allowed(clinic_a: Any) -> None:
    day = _in(3)
    with clinic_scope(clinic_a.clinic.pk):
        PractitionerBreak.objects.create(
            practitioner=clinic_a.practitioner,
            weekday=day.weekday(),
            starts=dt.time(13),
            ends=dt.time(14),
        )
    patient = clinic_a.make_patient(email="mover@example.com")
    api = clinic_a.api()
    created = api.post("/api/v1/appointments", booking(clinic_a, str(patient.pk), local(day, 10)))
    url = f"/api/v1/appointments/{created.json()['id']}"

    refused = api.patch(url, {"starts_at": local(day, 13, 15).isoformat()})
    moved = api.patch(
        url,
        {
            "starts_at": local(day, 13, 15).isoformat(),
            "override": True,
            "override_reason": "Patient can only come at lunchtime",
        },
    )

    body = assert_problem(refused, 422, "starts_at")
    assert body["rule"] == "break"
    assert moved.status_code == 200, moved.content
    with clinic_scope(clinic_a.clinic.pk):
        appointment = Appointment.objects.get()
        assert appointment.starts_at == local(day, 13, 15)
        assert BookingOverride.objects.get(appointment=appointment).rules == ["break"]


def test_moving_outside_hours_is_refused(clinic_a: Any) -> None:
    """The fixture's Dr Test works 08:00–20:00."""
    patient = clinic_a.make_patient(email="late@example.com")
    api = clinic_a.api()
    created = api.post(
        "/api/v1/appointments", booking(clinic_a, str(patient.pk), local(_in(2), 10))
    ).json()

    refused = api.patch(
        f"/api/v1/appointments/{created['id']}", {"starts_at": local(_in(2), 19, 45).isoformat()}
    )

    body = assert_problem(refused, 422, "starts_at")
    assert body["detail"].endswith("19:45–20:15 is outside those hours")
    with clinic_scope(clinic_a.clinic.pk):
        assert Appointment.objects.get().starts_at == local(_in(2), 10)


def test_marking_a_past_appointment_attended_needs_no_override(clinic_a: Any) -> None:
    patient = clinic_a.make_patient(email="attended@example.com")
    api = clinic_a.api()
    created = api.post(
        "/api/v1/appointments",
        booking(
            clinic_a,
            str(patient.pk),
            local(_in(-1), 10),
            override=True,
            override_reason="History",
        ),
    ).json()
    url = f"/api/v1/appointments/{created['id']}"

    attended = api.patch(url, {"status": "attended"})
    cancelled = api.patch(url, {"status": "cancelled", "cancellation_reason": "Entered twice"})
    revived = api.patch(url, {"status": "booked"})

    assert attended.status_code == 200, attended.content
    assert cancelled.status_code == 200, cancelled.content
    assert revived.status_code == 200, revived.content
