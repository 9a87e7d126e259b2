"""Two requests racing for times that only clash through a treatment's buffer: exactly
one is booked. The database's exclusion constraint knows nothing of buffers, so this is
the practitioner's row lock at work."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

from django.db import connections

from aescrm.api.tests.helpers import booking, slot
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Appointment, Treatment


def test_racing_bookings_inside_each_others_buffers_book_one(
    transactional_db: Any, allow_audit_flush: Any, clinic_a: Any
) -> None:
    # Given a peel that needs 30 minutes cleared after it, and two patients
    with clinic_scope(clinic_a.clinic.pk):
        peel = Treatment.objects.create(
            name="Peel", duration_minutes=30, price_pence=9000, buffer_after_minutes=30
        )
    patients = [
        str(clinic_a.make_patient(first_name=f"Racer{n}", email=f"race{n}@example.com").pk)
        for n in range(2)
    ]
    # 10:00–10:30 (+30 clear) and 10:45–11:15: apart, but not by the buffer
    starts = [slot(days=2, hour=10), slot(days=2, hour=10, minute=45)]
    start_line = threading.Barrier(2)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def race(patient_id: str, at: dt.datetime) -> None:
        try:
            api = clinic_a.api()
            body = booking(clinic_a, patient_id, at, treatment=str(peel.pk))
            start_line.wait(timeout=10)
            statuses.append(api.post("/api/v1/appointments", body).status_code)
        except BaseException as exc:  # surfaced in the main thread below
            errors.append(exc)
        finally:
            connections.close_all()

    # When both are booked at the same moment
    threads = [
        threading.Thread(target=race, args=args) for args in zip(patients, starts, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # Then one wins and the other is told of the clash
    assert errors == []
    assert sorted(statuses) == [201, 409]
    with clinic_scope(clinic_a.clinic.pk):
        assert Appointment.objects.count() == 1
