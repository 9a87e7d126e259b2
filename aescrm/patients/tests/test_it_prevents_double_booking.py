"""A practitioner cannot be double-booked, even by requests that race each other."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import IntegrityError, connection, connections, transaction

from aescrm.api.tests.helpers import booking, slot
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Appointment

RACERS = 4


def test_concurrent_bookings_of_one_slot_create_exactly_one_appointment(
    transactional_db: Any, allow_audit_flush: Any, clinic_a: Any
) -> None:
    """Four requests for the same practitioner and time, released at once: one 201, three 409."""
    # Given four patients wanting the same slot
    patients = [
        str(clinic_a.make_patient(first_name=f"Racer{n}", email=f"racer{n}@example.com").pk)
        for n in range(RACERS)
    ]
    starts = slot(days=2, hour=11)
    start_line = threading.Barrier(RACERS)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def race(patient_id: str) -> None:
        try:
            api = clinic_a.api()
            body = booking(clinic_a, patient_id, starts)
            start_line.wait(timeout=10)
            statuses.append(api.post("/api/v1/appointments", body).status_code)
        except BaseException as exc:  # surfaced in the main thread below
            errors.append(exc)
        finally:
            connections.close_all()

    # When they book at the same moment
    threads = [threading.Thread(target=race, args=(p,)) for p in patients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # Then exactly one booking wins and the others are told of the conflict
    assert errors == []
    assert sorted(statuses) == [201] + [409] * (RACERS - 1)
    with clinic_scope(clinic_a.clinic.pk):
        assert list(Appointment.objects.values_list("starts_at", flat=True)) == [starts]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL exclusion constraint")
def test_the_database_refuses_overlapping_appointments_that_skip_the_service(
    clinic_a: Any,
) -> None:
    """The exclusion constraint is the backstop: overlapping live rows cannot be inserted,
    while a cancelled appointment does not hold the time."""
    patient = clinic_a.make_patient(first_name="Direct", email="direct@example.com")
    starts = slot(days=2)
    fields = {
        "patient": patient,
        "treatment": clinic_a.treatment,
        "practitioner": clinic_a.practitioner,
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(minutes=30),
    }
    with clinic_scope(clinic_a.clinic.pk):
        Appointment.objects.create(**fields)
        overlapping = {
            **fields,
            "starts_at": starts + dt.timedelta(minutes=10),
            "ends_at": starts + dt.timedelta(minutes=40),
        }
        with (
            pytest.raises(IntegrityError, match="appointment_no_double_booking"),
            transaction.atomic(),
        ):
            Appointment.objects.create(**overlapping)
        Appointment.objects.create(**fields, status="cancelled")
        assert Appointment.objects.count() == 2
