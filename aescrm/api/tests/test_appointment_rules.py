"""Booking rules through the API: times, references, double booking."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aescrm.api.tests.helpers import assert_problem, booking, slot
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Appointment

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient_id(clinic_a: Any) -> str:
    return str(clinic_a.make_patient(first_name="Booker", email="booker@example.com").pk)


def _count(world: Any) -> int:
    with clinic_scope(world.clinic.pk):
        return Appointment.objects.count()


def test_an_end_before_the_start_is_422_naming_ends_at(clinic_a: Any, patient_id: str) -> None:
    """Nothing is booked when the end is before the start."""
    starts = slot()
    response = clinic_a.api().post(
        "/api/v1/appointments",
        booking(clinic_a, patient_id, starts, ends_at=(starts - dt.timedelta(hours=1)).isoformat()),
    )

    body = assert_problem(response, 422, "ends_at")
    assert body["detail"] == "ends_at must be after starts_at"
    assert _count(clinic_a) == 0


def test_an_unknown_treatment_is_422_naming_treatment(clinic_a: Any, patient_id: str) -> None:
    """A treatment id the clinic does not have is a field error, not a 404."""
    response = clinic_a.api().post(
        "/api/v1/appointments",
        booking(clinic_a, patient_id, slot(), treatment="00000000-0000-4000-8000-000000000000"),
    )

    body = assert_problem(response, 422, "treatment")
    assert body["detail"] == "no such treatment in this clinic"
    assert _count(clinic_a) == 0


def test_an_unknown_patient_is_422_naming_patient(clinic_a: Any) -> None:
    """A patient id the clinic does not have is a field error."""
    response = clinic_a.api().post(
        "/api/v1/appointments", booking(clinic_a, "00000000-0000-4000-8000-000000000000", slot())
    )

    assert_problem(response, 422, "patient")


def test_a_double_booking_is_409(clinic_a: Any, patient_id: str) -> None:
    """An overlapping second booking for the practitioner is a conflict naming the first."""
    api = clinic_a.api()
    first = api.post("/api/v1/appointments", booking(clinic_a, patient_id, slot(hour=10))).json()

    overlapping = api.post(
        "/api/v1/appointments", booking(clinic_a, patient_id, slot(hour=10, minute=15))
    )
    adjacent = api.post(
        "/api/v1/appointments", booking(clinic_a, patient_id, slot(hour=10, minute=30))
    )

    body = assert_problem(overlapping, 409, "starts_at")
    assert body["conflicting_appointment"] == first["id"]
    assert adjacent.status_code == 201, adjacent.content
    assert _count(clinic_a) == 2


def test_moving_or_reviving_into_a_taken_slot_is_409(clinic_a: Any, patient_id: str) -> None:
    """Rescheduling onto a booked time, or un-cancelling into one, is a conflict."""
    api = clinic_a.api()
    taken = api.post("/api/v1/appointments", booking(clinic_a, patient_id, slot(hour=9))).json()
    other = api.post("/api/v1/appointments", booking(clinic_a, patient_id, slot(hour=12))).json()
    url = f"/api/v1/appointments/{other['id']}"

    moved = api.patch(url, {"starts_at": slot(hour=9, minute=10).isoformat()})
    api.patch(
        f"/api/v1/appointments/{taken['id']}",
        {"status": "cancelled", "cancellation_reason": "Rescheduling"},
    )
    api.patch(url, {"starts_at": slot(hour=9).isoformat()})
    revived = api.patch(f"/api/v1/appointments/{taken['id']}", {"status": "booked"})

    assert_problem(moved, 409, "starts_at")
    assert_problem(revived, 409, "starts_at")
    with clinic_scope(clinic_a.clinic.pk):
        assert Appointment.objects.get(pk=taken["id"]).status == "cancelled"


@pytest.mark.parametrize("naive", ["2030-05-01T09:00:00", "2030-05-01 09:00"])
def test_a_naive_time_is_422(clinic_a: Any, patient_id: str, naive: str) -> None:
    """A time without an offset is ambiguous around clock changes: refused, naming the field."""
    api = clinic_a.api()
    response = api.post(
        "/api/v1/appointments", {**booking(clinic_a, patient_id, slot()), "starts_at": naive}
    )
    booked = api.post("/api/v1/appointments", booking(clinic_a, patient_id, slot())).json()
    moved = api.patch(f"/api/v1/appointments/{booked['id']}", {"starts_at": naive})
    ended = api.patch(f"/api/v1/appointments/{booked['id']}", {"ends_at": naive})

    assert_problem(response, 422, "starts_at")
    assert_problem(moved, 422, "starts_at")
    assert_problem(ended, 422)
    assert _count(clinic_a) == 1


def test_cancelling_needs_a_reason(clinic_a: Any, patient_id: str) -> None:
    """A cancellation without a reason is refused naming cancellation_reason."""
    api = clinic_a.api()
    booked = api.post("/api/v1/appointments", booking(clinic_a, patient_id, slot())).json()

    response = api.patch(f"/api/v1/appointments/{booked['id']}", {"status": "cancelled"})

    assert_problem(response, 422, "cancellation_reason")


def test_a_time_at_the_end_of_the_calendar_is_422_not_a_crash(
    clinic_a: Any, patient_id: str
) -> None:
    """The default end (start + duration) must not overflow the calendar."""
    api = clinic_a.api()
    response = api.post(
        "/api/v1/appointments",
        booking(clinic_a, patient_id, dt.datetime(9999, 12, 31, 23, 50, tzinfo=dt.UTC)),
    )
    booked = api.post("/api/v1/appointments", booking(clinic_a, patient_id, slot())).json()
    moved = api.patch(
        f"/api/v1/appointments/{booked['id']}", {"starts_at": "9999-12-31T23:50:00+00:00"}
    )

    assert_problem(response, 422, "starts_at")
    assert_problem(moved, 422, "starts_at")
