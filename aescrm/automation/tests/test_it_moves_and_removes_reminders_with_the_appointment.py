"""Rescheduling moves the reminders; cancelling removes them, including one already queued
and held for quiet hours; moving back to the original time brings the reminder back."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aescrm.automation.models import Rule, Run, RunStatus
from aescrm.automation.recipes import REMINDER_2, REMINDER_48
from aescrm.automation.tests.conftest import book, london, tick
from aescrm.core.tenancy import clinic_scope
from aescrm.messaging.models import Message, Status
from aescrm.messaging.tests.conftest import connect
from aescrm.patients import services
from aescrm.testing.fakes.twilio import FakeTwilio
from aescrm.testing.fixtures import ClinicWorld


def _scheduled(world: ClinicWorld) -> dict[str, dt.datetime | None]:
    with clinic_scope(world.clinic.pk):
        runs = Run.objects.filter(status=RunStatus.SCHEDULED).select_related("rule")
        return {run.rule.recipe: run.due_at for run in runs}


def test_rescheduling_moves_both_reminders(
    recipe_clinic: ClinicWorld, twilio_fake: FakeTwilio, clock: Any
) -> None:
    connect(recipe_clinic)
    clock.move_to(london(2026, 12, 1, 9))
    patient = recipe_clinic.make_patient(first_name="Bea", phone="07700 900311")
    appointment = book(recipe_clinic, patient, london(2026, 12, 10, 14))
    assert _scheduled(recipe_clinic) == {
        REMINDER_48: london(2026, 12, 8, 14),
        REMINDER_2: london(2026, 12, 10, 12),
    }

    with clinic_scope(recipe_clinic.clinic.pk):
        services.appointment_update(
            caller=recipe_clinic.caller(),
            appointment=appointment,
            starts_at=london(2026, 12, 15, 9),
        )
    assert _scheduled(recipe_clinic) == {
        REMINDER_48: london(2026, 12, 13, 9),
        REMINDER_2: london(2026, 12, 15, 7),
    }

    # Nothing goes at the old times; the new 48-hour reminder names the new time.
    tick(recipe_clinic, clock, london(2026, 12, 8, 14))
    tick(recipe_clinic, clock, london(2026, 12, 10, 12))
    assert twilio_fake.messages == []
    tick(recipe_clinic, clock, london(2026, 12, 13, 9))
    assert len(twilio_fake.messages) == 1
    assert "Tuesday 15 December at 09:00" in twilio_fake.messages[0]["body"]


def test_cancelling_removes_the_reminders_and_withdraws_a_held_one(
    recipe_clinic: ClinicWorld, twilio_fake: FakeTwilio, clock: Any
) -> None:
    connect(recipe_clinic)
    clock.move_to(london(2026, 12, 1, 9))
    patient = recipe_clinic.make_patient(phone="07700 900312")
    # 09:00 on the 3rd: the 2-hour reminder falls due at 07:00, inside quiet hours.
    appointment = book(recipe_clinic, patient, london(2026, 12, 3, 9))
    tick(recipe_clinic, clock, london(2026, 12, 1, 9, 0))  # the 48-hour one goes now-ish
    sent_before = len(twilio_fake.messages)
    tick(recipe_clinic, clock, london(2026, 12, 3, 7, 0))
    with clinic_scope(recipe_clinic.clinic.pk):
        held = Message.objects.get(status=Status.QUEUED)
        assert held.send_after == london(2026, 12, 3, 8, 0)
        services.appointment_update(
            caller=recipe_clinic.caller(),
            appointment=appointment,
            status="cancelled",
            cancellation_reason="Patient unwell",
        )
        held.refresh_from_db()
    assert held.status == Status.CANCELLED
    tick(recipe_clinic, clock, london(2026, 12, 3, 8, 0))
    assert len(twilio_fake.messages) == sent_before
    with clinic_scope(recipe_clinic.clinic.pk):
        assert not Run.objects.filter(status=RunStatus.SCHEDULED).exists()


def test_cancelling_before_the_reminders_are_due_sends_none(
    recipe_clinic: ClinicWorld, twilio_fake: FakeTwilio, clock: Any
) -> None:
    connect(recipe_clinic)
    clock.move_to(london(2026, 12, 1, 9))
    patient = recipe_clinic.make_patient(phone="07700 900313")
    appointment = book(recipe_clinic, patient, london(2026, 12, 10, 14))
    with clinic_scope(recipe_clinic.clinic.pk):
        services.appointment_update(
            caller=recipe_clinic.caller(),
            appointment=appointment,
            status="cancelled",
            cancellation_reason="Booked elsewhere",
        )
        statuses = set(Run.objects.values_list("status", flat=True))
        cancelled = Run.objects.filter(status=RunStatus.CANCELLED).first()
        assert cancelled is not None
        assert "cancelled" in cancelled.log.get(outcome="cancelled").detail
    assert statuses == {RunStatus.CANCELLED}
    tick(recipe_clinic, clock, london(2026, 12, 8, 14))
    tick(recipe_clinic, clock, london(2026, 12, 10, 12))
    assert twilio_fake.messages == []


def test_moving_back_to_the_original_time_schedules_the_reminder_again(
    recipe_clinic: ClinicWorld, clock: Any
) -> None:
    clock.move_to(london(2026, 12, 1, 9))
    patient = recipe_clinic.make_patient(phone="07700 900314")
    original = london(2026, 12, 10, 14)
    appointment = book(recipe_clinic, patient, original)
    with clinic_scope(recipe_clinic.clinic.pk):
        for starts in (london(2026, 12, 11, 14), original):
            services.appointment_update(
                caller=recipe_clinic.caller(), appointment=appointment, starts_at=starts
            )
    assert _scheduled(recipe_clinic) == {
        REMINDER_48: london(2026, 12, 8, 14),
        REMINDER_2: london(2026, 12, 10, 12),
    }


def test_switching_the_reminder_rule_off_stops_reminders_already_scheduled(
    recipe_clinic: ClinicWorld, twilio_fake: FakeTwilio, clock: Any
) -> None:
    connect(recipe_clinic)
    clock.move_to(london(2026, 12, 1, 9))
    patient = recipe_clinic.make_patient(phone="07700 900315")
    book(recipe_clinic, patient, london(2026, 12, 10, 14))
    with clinic_scope(recipe_clinic.clinic.pk):
        Rule.objects.filter(recipe=REMINDER_48).update(enabled=False)
    tick(recipe_clinic, clock, london(2026, 12, 8, 14))
    assert twilio_fake.messages == []
    with clinic_scope(recipe_clinic.clinic.pk):
        run = Run.objects.get(rule__recipe=REMINDER_48)
        assert run.status == RunStatus.STOPPED
        assert run.log.get(outcome="stopped").detail == "the rule was switched off"
