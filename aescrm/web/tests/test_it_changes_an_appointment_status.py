"""Marking an appointment attended, no-show or cancelled (a cancellation needs a reason)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Appointment
from aescrm.web.tests.support import SUMMER_DAY, book, member_client, text

pytestmark = pytest.mark.django_db
DAY_URL = "/calendar/?date=2026-07-01&view=day"


@pytest.fixture
def appointment(clinic_a: Any) -> Appointment:
    patient = clinic_a.make_patient(first_name="Zebedee", last_name="Quixotic")
    return book(clinic_a, patient, dt.datetime.combine(SUMMER_DAY, dt.time(10)))


def _status(world: Any, appointment: Appointment) -> tuple[str, str]:
    with clinic_scope(world.clinic.pk):
        fresh = Appointment.objects.get(pk=appointment.pk)
    return fresh.status, fresh.cancellation_reason or ""


@pytest.mark.parametrize(("status", "label"), [("attended", "attended"), ("no_show", "no-show")])
def test_it_marks_the_appointment(
    clinic_a: Any, appointment: Appointment, status: str, label: str
) -> None:
    client = member_client(clinic_a, "receptionist")

    response = client.post(
        f"/calendar/appointments/{appointment.pk}/status", {"status": status, "next": DAY_URL}
    )

    assert response.status_code == 302
    assert response["Location"] == DAY_URL
    assert _status(clinic_a, appointment) == (status, "")
    assert f"The 10:00 appointment is now marked {label}." in text(client.get(DAY_URL))


def test_it_cancels_with_a_reason(clinic_a: Any, appointment: Appointment) -> None:
    client = member_client(clinic_a, "receptionist")

    client.post(
        f"/calendar/appointments/{appointment.pk}/status",
        {"status": "cancelled", "cancellation_reason": "Patient unwell"},
    )

    assert _status(clinic_a, appointment) == ("cancelled", "Patient unwell")


def test_it_refuses_to_cancel_without_a_reason(clinic_a: Any, appointment: Appointment) -> None:
    client = member_client(clinic_a, "receptionist")

    response = client.post(
        f"/calendar/appointments/{appointment.pk}/status",
        {"status": "cancelled", "cancellation_reason": "  "},
    )

    assert response["Location"] == DAY_URL
    assert "Say why the appointment is cancelled." in text(client.get(DAY_URL))
    assert _status(clinic_a, appointment) == ("booked", "")


def test_it_ignores_an_offsite_next_address(clinic_a: Any, appointment: Appointment) -> None:
    response = member_client(clinic_a, "receptionist").post(
        f"/calendar/appointments/{appointment.pk}/status",
        {"status": "attended", "next": "https://evil.example/"},
    )

    assert response["Location"] == DAY_URL


def test_a_marketer_may_not_change_a_status(clinic_a: Any, appointment: Appointment) -> None:
    response = member_client(clinic_a, "marketer").post(
        f"/calendar/appointments/{appointment.pk}/status", {"status": "attended"}
    )

    assert response.status_code == 403
    assert _status(clinic_a, appointment) == ("booked", "")
