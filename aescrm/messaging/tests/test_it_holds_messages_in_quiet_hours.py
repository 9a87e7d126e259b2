"""A message queued at 23:00 London waits for 08:00; the worker sends it then, not before."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from aescrm.core.tenancy import clinic_scope
from aescrm.messaging import services, worker
from aescrm.messaging.models import Message, Status
from aescrm.messaging.policy import window_opens
from aescrm.messaging.tests.conftest import connect
from aescrm.testing.fakes.twilio import FakeTwilio
from aescrm.testing.fixtures import ClinicWorld

LONDON = zoneinfo.ZoneInfo("Europe/London")


def london(year: int, month: int, day: int, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON).astimezone(dt.UTC)


def test_queued_at_23_goes_at_08(clinic_a: ClinicWorld, twilio_fake: FakeTwilio) -> None:
    connect(clinic_a)
    patient = clinic_a.make_patient(phone="07700 900200")
    with clinic_scope(clinic_a.clinic.pk):
        message = services.message_queue(
            caller=clinic_a.caller(),
            patient=patient,
            body="Reminder: your appointment is tomorrow at 10:00",
            kind="service",
            now=london(2026, 11, 26, 23, 0),
        )
        assert message.send_after == london(2026, 11, 27, 8, 0)
        assert message.next_attempt_at == london(2026, 11, 27, 8, 0)

        assert worker.process_clinic(now=london(2026, 11, 27, 7, 59)) == 0
        assert twilio_fake.messages == []

        assert worker.process_clinic(now=london(2026, 11, 27, 8, 0)) == 1
        message.refresh_from_db()
    assert message.status == Status.SENT
    assert [m["to"] for m in twilio_fake.messages] == ["+447700900200"]


def test_daytime_messages_are_not_held(clinic_a: ClinicWorld) -> None:
    patient = clinic_a.make_patient(phone="07700 900201")
    noon = london(2026, 7, 1, 12, 0)
    with clinic_scope(clinic_a.clinic.pk):
        message = services.message_queue(
            caller=clinic_a.caller(), patient=patient, body="Hi", kind="service", now=noon
        )
    assert message.send_after is None
    assert message.next_attempt_at == noon


def test_window_edges_in_summer_time() -> None:
    # 21:00 BST is quiet; 07:59 BST is quiet; 08:00 BST is open.
    assert window_opens(london(2026, 7, 1, 21, 0), None, LONDON) == london(2026, 7, 2, 8, 0)
    assert window_opens(london(2026, 7, 2, 7, 59), None, LONDON) == london(2026, 7, 2, 8, 0)
    assert window_opens(london(2026, 7, 2, 8, 0), None, LONDON) == london(2026, 7, 2, 8, 0)
    assert window_opens(london(2026, 7, 2, 20, 59), None, LONDON) == london(2026, 7, 2, 20, 59)


def test_the_worker_holds_a_due_message_that_falls_in_quiet_hours(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    connect(clinic_a)
    patient = clinic_a.make_patient(phone="07700 900202")
    with clinic_scope(clinic_a.clinic.pk):
        message = services.message_queue(
            caller=clinic_a.caller(),
            patient=patient,
            body="Hi",
            kind="service",
            now=london(2026, 11, 26, 20, 59),
        )
        # The worker only got to it at 22:00 (a backlog): it waits for the morning.
        assert worker.process_clinic(now=london(2026, 11, 26, 22, 0)) == 0
        message = Message.objects.get(pk=message.pk)
    assert message.status == Status.QUEUED
    assert message.next_attempt_at == london(2026, 11, 27, 8, 0)
    assert twilio_fake.messages == []
