"""Reactivation restores service: what was held while the account was read-only is judged
again. A reminder still in time goes through Twilio; one whose moment passed is not sent late
and says why; a held automation step still in time is taken."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aescrm.automation import engine
from aescrm.automation.models import Outcome, RunLog
from aescrm.automation.tests.conftest import book, london
from aescrm.billing.tests.support import subscribe
from aescrm.core.tenancy import clinic_scope
from aescrm.messaging import services, worker
from aescrm.messaging.models import Message, Status
from aescrm.messaging.tests.conftest import connect
from aescrm.testing.fakes.twilio import FakeTwilio
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client

NOON = dt.time(12, 0)


def _get(world: ClinicWorld, message: Message) -> Message:
    with clinic_scope(world.clinic.pk):
        return Message.objects.get(pk=message.pk)


def test_held_messages_go_if_still_in_time_and_stale_reminders_do_not(
    recipe_clinic: ClinicWorld, twilio_fake: FakeTwilio, clock: Any
) -> None:
    world = recipe_clinic
    connect(world, quiet_start=NOON, quiet_end=NOON)
    bea = world.make_patient(first_name="Bea", phone="07700 900401")
    ada = world.make_patient(first_name="Ada", phone="07700 900402")
    clock.move_to(london(2026, 6, 1, 9))
    # Bea's visit is Saturday 11:00: her 48-hour reminder is due Thursday 11:00, and may
    # still go until 17:00 that day.
    book(world, bea, london(2026, 6, 6, 11))

    # Thursday 11:00: the reminder step queues the text, then the subscription is cancelled
    # before the sender runs; a message to Ada is waiting too.
    clock.move_to(london(2026, 6, 4, 11))
    with clinic_scope(world.clinic.pk):
        engine.process_clinic()
        reminder = Message.objects.get(patient=bea)
        results = services.message_queue(
            caller=world.caller(), patient=ada, body="Your results are ready", kind="service"
        )
    subscribe(world, "canceled")
    worker.process_all()
    assert twilio_fake.taken() == []

    # Thursday 18:00: a new subscription. Ada's message goes; Bea's reminder is too late.
    clock.move_to(london(2026, 6, 4, 18))
    subscribe(world, "active")
    worker.process_all()

    assert [(m["to"], m["body"]) for m in twilio_fake.taken()] == [
        ("+447700900402", "Your results are ready")
    ]
    assert _get(world, results).status == Status.SENT
    stale = _get(world, reminder)
    assert (stale.status, stale.error_code) == (Status.FAILED, "too_late")
    assert stale.error_reason == (
        "its moment passed while the account was read-only: not sent late"
    )


def test_a_held_reminder_step_is_taken_once_the_account_is_restored_in_time(
    recipe_clinic: ClinicWorld, twilio_fake: FakeTwilio, clock: Any
) -> None:
    world = recipe_clinic
    connect(world, quiet_start=NOON, quiet_end=NOON)
    ada = world.make_patient(first_name="Ada", phone="07700 900403")
    clock.move_to(london(2026, 6, 3, 9))
    book(world, ada, london(2026, 6, 8, 10))  # reminder due Saturday 10:00, until 16:00
    subscribe(world, "canceled")

    clock.move_to(london(2026, 6, 6, 10))
    engine.process_all()
    worker.process_all()
    assert twilio_fake.taken() == []

    clock.move_to(london(2026, 6, 6, 12))
    subscribe(world, "active")
    engine.process_all()

    assert [m["to"] for m in twilio_fake.taken()] == ["+447700900403"]
    with clinic_scope(world.clinic.pk):
        outcomes = list(RunLog.objects.filter(patient=ada).values_list("outcome", "reason"))
    assert (Outcome.HELD, "read_only") in outcomes
    assert (Outcome.SENT, "") in outcomes


def test_pages_accept_changes_again(clinic_a: ClinicWorld) -> None:
    subscribe(clinic_a, "canceled")
    client = member_client(clinic_a, "receptionist")
    new = {"first_name": "Zebedee", "last_name": "Quixotic", "email": "zeb@example.org"}
    assert client.post("/patients/new", new).status_code == 403

    subscribe(clinic_a, "active")

    assert client.post("/patients/new", new).status_code == 302
