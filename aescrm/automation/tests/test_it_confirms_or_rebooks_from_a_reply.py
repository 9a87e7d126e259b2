"""A patient who replies C to a reminder is confirmed; R makes a call-back task for reception."""

from __future__ import annotations

from typing import Any

from aescrm.accounts.permissions import Role
from aescrm.automation.models import RunLog
from aescrm.automation.tests.conftest import book, london, tick
from aescrm.core.tenancy import clinic_scope
from aescrm.messaging.tests.conftest import connect, inbound
from aescrm.patients.models import Appointment
from aescrm.pipeline.models import StaffTask
from aescrm.testing.fakes.twilio import FakeTwilio
from aescrm.testing.fixtures import ClinicWorld

PHONE = "+447700900321"


def _reminded(world: ClinicWorld, twilio_fake: FakeTwilio, clock: Any) -> Appointment:
    connect(world)
    clock.move_to(london(2026, 12, 1, 9))
    patient = world.make_patient(first_name="Cai", phone=PHONE)
    appointment = book(world, patient, london(2026, 12, 4, 11))
    tick(world, clock, london(2026, 12, 2, 11))
    assert len(twilio_fake.messages) == 1
    return appointment


def test_c_confirms_the_appointment(
    recipe_clinic: ClinicWorld, twilio_fake: FakeTwilio, clock: Any
) -> None:
    appointment = _reminded(recipe_clinic, twilio_fake, clock)
    clock.move_to(london(2026, 12, 2, 11, 20))
    assert inbound(" c ", sender=PHONE, sid="SM" + "c" * 32).status_code == 200
    with clinic_scope(recipe_clinic.clinic.pk):
        appointment.refresh_from_db()
        entry = RunLog.objects.get(reason="confirmed")
    assert appointment.status == "confirmed"
    assert "Friday 4 December at 11:00 confirmed" in entry.detail
    tick(recipe_clinic, clock, london(2026, 12, 2, 11, 21))
    assert twilio_fake.messages[-1]["body"].startswith("Thank you, your appointment on Friday")


def test_r_creates_a_task_for_reception(
    recipe_clinic: ClinicWorld, twilio_fake: FakeTwilio, clock: Any
) -> None:
    appointment = _reminded(recipe_clinic, twilio_fake, clock)
    clock.move_to(london(2026, 12, 2, 12))
    assert inbound("R", sender=PHONE, sid="SM" + "r" * 32).status_code == 200
    # The same webhook delivered twice makes one task.
    assert inbound("R", sender=PHONE, sid="SM" + "r" * 32).status_code == 200
    with clinic_scope(recipe_clinic.clinic.pk):
        appointment.refresh_from_db()
        task = StaffTask.objects.get()
    assert appointment.status == "booked"
    assert task.kind == "call_back"
    assert task.assignee == recipe_clinic.users[Role.RECEPTIONIST]
    assert "Wants to rebook the appointment on Friday 4 December at 11:00" in task.note


def test_a_c_without_a_reminder_changes_nothing(
    recipe_clinic: ClinicWorld, twilio_fake: FakeTwilio, clock: Any
) -> None:
    connect(recipe_clinic)
    clock.move_to(london(2026, 12, 1, 9))
    patient = recipe_clinic.make_patient(phone=PHONE)
    appointment = book(recipe_clinic, patient, london(2026, 12, 20, 11))
    inbound("C", sender=PHONE, sid="SM" + "d" * 32)
    with clinic_scope(recipe_clinic.clinic.pk):
        appointment.refresh_from_db()
        assert not RunLog.objects.filter(outcome="reply").exists()
    assert appointment.status == "booked"
