"""Sending limits hold messages back (never drop them): per sending number and per recipient."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aescrm.core.tenancy import clinic_scope
from aescrm.messaging import services, worker
from aescrm.messaging.models import Message, Status
from aescrm.messaging.tests.conftest import connect
from aescrm.testing.fakes.twilio import FakeTwilio
from aescrm.testing.fixtures import ClinicWorld

NOON = dt.datetime(2026, 7, 1, 11, 0, 20, tzinfo=dt.UTC)  # 12:00:20 in London


def queue(world: ClinicWorld, patient: Any, body: str = "Hi", **kw: Any) -> Message:
    return services.message_queue(
        caller=world.caller(), patient=patient, body=body, kind="service", now=NOON, **kw
    )


def test_the_number_passes_on_at_most_its_segments_a_minute(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio, settings: Any
) -> None:
    settings.MESSAGING_SEGMENTS_PER_MINUTE = 3
    connect(clinic_a)
    patients = [clinic_a.make_patient(phone=f"07700 90031{i}") for i in range(5)]
    with clinic_scope(clinic_a.clinic.pk):
        messages = [queue(clinic_a, p) for p in patients]

        assert worker.process_clinic(now=NOON) == 3
        assert len(twilio_fake.messages) == 3
        held = Message.objects.filter(status=Status.QUEUED)
        next_minute = NOON.replace(second=0) + dt.timedelta(minutes=1)
        assert [m.next_attempt_at for m in held] == [next_minute, next_minute]

        # The same minute again: still nothing more goes.
        assert worker.process_clinic(now=NOON + dt.timedelta(seconds=30)) == 0
        assert worker.process_clinic(now=next_minute) == 2
        statuses = {m.pk: m.status for m in Message.objects.all()}
    assert all(statuses[m.pk] == Status.SENT for m in messages)
    assert sorted(m["to"] for m in twilio_fake.messages) == sorted(
        f"+4477009003{10 + i}" for i in range(5)
    )


def test_a_long_message_counts_its_segments(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio, settings: Any
) -> None:
    settings.MESSAGING_SEGMENTS_PER_MINUTE = 3
    connect(clinic_a)
    first, second = (
        clinic_a.make_patient(phone="07700 900320"),
        clinic_a.make_patient(phone="07700 900321"),
    )
    with clinic_scope(clinic_a.clinic.pk):
        queue(clinic_a, first, body="x" * 300)  # two segments
        queue(clinic_a, second, body="y" * 300)  # two more: over the budget of three
        assert worker.process_clinic(now=NOON) == 1
    assert [m["to"] for m in twilio_fake.messages] == ["+447700900320"]


def test_one_patient_gets_at_most_the_hourly_allowance(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio, settings: Any
) -> None:
    settings.MESSAGING_MAX_PER_RECIPIENT_PER_HOUR = 2
    connect(clinic_a)
    patient = clinic_a.make_patient(phone="07700 900330")
    with clinic_scope(clinic_a.clinic.pk):
        for n in range(3):
            queue(clinic_a, patient, body=f"Update {n}")
        help_reply = queue(clinic_a, patient, body="Harbour Clinic: 0161 496 0000", urgent=True)

        assert worker.process_clinic(now=NOON) == 3
        held = Message.objects.get(status=Status.QUEUED)
        # Held until the first of the hour's two has been out for an hour; urgent went anyway.
        assert held.next_attempt_at == NOON + dt.timedelta(hours=1)
        assert Message.objects.get(pk=help_reply.pk).status == Status.SENT

        assert worker.process_clinic(now=NOON + dt.timedelta(minutes=59)) == 0
        assert worker.process_clinic(now=NOON + dt.timedelta(hours=1, seconds=1)) == 1
    assert len(twilio_fake.messages) == 4


def test_limits_of_zero_are_off(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio, settings: Any
) -> None:
    settings.MESSAGING_SEGMENTS_PER_MINUTE = 0
    settings.MESSAGING_MAX_PER_RECIPIENT_PER_HOUR = 0
    connect(clinic_a)
    patient = clinic_a.make_patient(phone="07700 900340")
    with clinic_scope(clinic_a.clinic.pk):
        for n in range(12):
            queue(clinic_a, patient, body=f"Note {n}")
        assert worker.process_clinic(now=NOON) == 12
