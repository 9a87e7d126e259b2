"""A 48-hour reminder goes at the appointment's wall-clock time two days before, also on the
weekends the clocks change; the 2-hour reminder is two real hours before."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aescrm.automation.models import Run, RunStatus
from aescrm.automation.recipes import REMINDER_2, REMINDER_48
from aescrm.automation.tests.conftest import book, london, tick
from aescrm.core.tenancy import clinic_scope
from aescrm.messaging.models import Message, Status
from aescrm.messaging.tests.conftest import connect
from aescrm.testing.fakes.twilio import FakeTwilio
from aescrm.testing.fixtures import ClinicWorld

# (Monday after the change, the Saturday before it): both 2026 and 2027 transitions.
WEEKENDS = [
    pytest.param(london(2026, 10, 26, 10), london(2026, 10, 24, 10), id="autumn-2026"),
    pytest.param(london(2026, 3, 30, 10), london(2026, 3, 28, 10), id="spring-2026"),
    pytest.param(london(2027, 3, 29, 10), london(2027, 3, 27, 10), id="spring-2027"),
    pytest.param(london(2027, 11, 1, 10), london(2027, 10, 30, 10), id="autumn-2027"),
]


def _run(world: ClinicWorld, recipe: str) -> Run:
    with clinic_scope(world.clinic.pk):
        return Run.objects.get(rule__recipe=recipe)


@pytest.mark.parametrize(("monday", "saturday"), WEEKENDS)
def test_the_48_hour_reminder_goes_at_10_on_the_saturday(
    recipe_clinic: ClinicWorld,
    twilio_fake: FakeTwilio,
    clock: Any,
    monday: dt.datetime,
    saturday: dt.datetime,
) -> None:
    connect(recipe_clinic)
    clock.move_to(monday - dt.timedelta(days=10))
    patient = recipe_clinic.make_patient(first_name="Ada", phone="07700 900301")
    book(recipe_clinic, patient, monday)

    reminder = _run(recipe_clinic, REMINDER_48)
    assert reminder.due_at == saturday
    real_48_hours = monday.astimezone(dt.UTC) - dt.timedelta(hours=48)
    assert reminder.due_at != real_48_hours, "48 real hours would be an hour off"

    tick(recipe_clinic, clock, saturday - dt.timedelta(minutes=1))
    assert twilio_fake.messages == []

    tick(recipe_clinic, clock, saturday)
    assert len(twilio_fake.messages) == 1
    body = twilio_fake.messages[0]["body"]
    assert body.startswith("Hi Ada, a reminder of your appointment")
    assert "at 10:00" in body and "Reply C to confirm or R to rebook" in body

    # The 2-hour reminder: two real hours before, 08:00 on the Monday.
    two_hour = _run(recipe_clinic, REMINDER_2)
    assert two_hour.due_at == monday.astimezone(dt.UTC) - dt.timedelta(hours=2)
    tick(recipe_clinic, clock, two_hour.due_at)
    assert len(twilio_fake.messages) == 2
    with clinic_scope(recipe_clinic.clinic.pk):
        assert Message.objects.filter(status=Status.SENT).count() == 2
        assert set(Run.objects.values_list("status", flat=True)) == {RunStatus.DONE}


def test_a_reminder_already_due_when_booked_is_skipped_not_sent_late(
    recipe_clinic: ClinicWorld, twilio_fake: FakeTwilio, clock: Any
) -> None:
    connect(recipe_clinic)
    clock.move_to(london(2026, 12, 1, 9))
    patient = recipe_clinic.make_patient(phone="07700 900302")
    book(recipe_clinic, patient, london(2026, 12, 2, 10))  # 25 hours ahead

    assert _run(recipe_clinic, REMINDER_48).status == RunStatus.SKIPPED
    assert _run(recipe_clinic, REMINDER_2).due_at == london(2026, 12, 2, 8)
    tick(recipe_clinic, clock, london(2026, 12, 1, 9, 5))
    assert twilio_fake.messages == []
    with clinic_scope(recipe_clinic.clinic.pk):
        skipped = _run(recipe_clinic, REMINDER_48).log.get(outcome="skipped")
    assert "skipped, not sent late" in skipped.detail
