"""GET /api/v1/appointments/{id} lists its scheduled messages: kind, channel, due time in UTC
and in the clinic's zone, status; another clinic's key sees nothing of it."""

from __future__ import annotations

from typing import Any

from aescrm.automation.tests.conftest import book, london, tick
from aescrm.core.tenancy import clinic_scope
from aescrm.messaging.tests.conftest import connect
from aescrm.patients import services
from aescrm.testing.fakes.twilio import FakeTwilio
from aescrm.testing.fixtures import ClinicWorld


def test_reminders_with_due_times_and_statuses(
    recipe_clinic: ClinicWorld, clinic_b: ClinicWorld, twilio_fake: FakeTwilio, clock: Any
) -> None:
    connect(recipe_clinic)
    clock.move_to(london(2027, 3, 20, 9))
    patient = recipe_clinic.make_patient(phone="07700 900371")
    # Monday after the spring 2027 change: the Saturday reminder is at 10:00 GMT, the
    # appointment and its 2-hour reminder in BST.
    appointment = book(recipe_clinic, patient, london(2027, 3, 29, 10))
    path = f"/api/v1/appointments/{appointment.pk}"

    body = recipe_clinic.api().get(path).json()
    assert [
        (m["kind"], m["channel"], m["due_at"], m["due_at_local"], m["status"])
        for m in body["scheduled_messages"]
    ] == [
        ("reminder_48h", "sms", "2027-03-27T10:00:00Z", "2027-03-27T10:00:00+00:00", "scheduled"),
        ("reminder_2h", "sms", "2027-03-29T07:00:00Z", "2027-03-29T08:00:00+01:00", "scheduled"),
    ]

    tick(recipe_clinic, clock, london(2027, 3, 27, 10))
    with clinic_scope(recipe_clinic.clinic.pk):
        services.appointment_update(
            caller=recipe_clinic.caller(),
            appointment=appointment,
            status="cancelled",
            cancellation_reason="Away",
        )
    statuses = [
        (m["kind"], m["status"]) for m in recipe_clinic.api().get(path).json()["scheduled_messages"]
    ]
    assert statuses == [("reminder_48h", "sent"), ("reminder_2h", "cancelled")]

    assert clinic_b.api().get(path).status_code == 404
