"""Twilio's status callbacks: signed for the message's clinic, move status forward only."""

from __future__ import annotations

import datetime as dt

from aescrm.core.tenancy import clinic_scope
from aescrm.messaging import services, twilio, worker
from aescrm.messaging.models import Message
from aescrm.messaging.tests.conftest import connect, signed_post
from aescrm.testing.fakes.twilio import FakeTwilio
from aescrm.testing.fixtures import ClinicWorld

NOON = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)


def _sent(world: ClinicWorld) -> Message:
    connect(world)
    patient = world.make_patient(phone="07700 900700")
    with clinic_scope(world.clinic.pk):
        message = services.message_queue(
            caller=world.caller(), patient=patient, body="Hi", kind="service", now=NOON
        )
        worker.process_clinic(now=NOON)
        return Message.objects.get(pk=message.pk)


def _callback(message: Message, status: str, sid: str | None = None, **kw: str) -> int:
    path = f"/webhooks/twilio/status?m={message.pk}&k={message.attempt_key}"
    params = {"MessageSid": sid or message.provider_id, "MessageStatus": status, **kw}
    return int(signed_post(path, params).status_code)


def test_delivered_then_a_late_sent_changes_nothing(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    message = _sent(clinic_a)
    assert _callback(message, "delivered") == 200
    assert _callback(message, "sent") == 200
    with clinic_scope(clinic_a.clinic.pk):
        message.refresh_from_db()
    assert message.status == "delivered"
    assert message.delivered_at is not None


def test_undelivered_records_the_error_code(clinic_a: ClinicWorld, twilio_fake: FakeTwilio) -> None:
    message = _sent(clinic_a)
    assert _callback(message, "undelivered", ErrorCode="30003") == 200
    with clinic_scope(clinic_a.clinic.pk):
        message.refresh_from_db()
    assert (message.status, message.error_code) == ("undelivered", "30003")


def test_a_bad_signature_is_403_and_changes_nothing(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    message = _sent(clinic_a)
    path = f"/webhooks/twilio/status?m={message.pk}&k={message.attempt_key}"
    params = {"MessageSid": message.provider_id, "MessageStatus": "delivered"}
    assert signed_post(path, params, token="not-the-token").status_code == 403
    with clinic_scope(clinic_a.clinic.pk):
        message.refresh_from_db()
    assert message.status == "sent"


def test_the_callback_reconciles_a_crashed_send(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    row = connect(clinic_a)
    patient = clinic_a.make_patient(phone="07700 900701")
    with clinic_scope(clinic_a.clinic.pk):
        services.message_queue(
            caller=clinic_a.caller(), patient=patient, body="Hi", kind="service", now=NOON
        )
        (claimed,) = worker.claim(NOON)
        worker._begin(claimed, NOON)
        sent = twilio.send_sms(
            row, to="+447700900701", body="Hi", status_callback=worker.status_callback_url(claimed)
        )
    assert _callback(claimed, "sent", sid=sent.sid) == 200
    with clinic_scope(clinic_a.clinic.pk):
        worker.process_clinic(now=NOON + worker.LEASE + dt.timedelta(seconds=1))
        claimed.refresh_from_db()
    assert (claimed.status, claimed.provider_id) == ("sent", sent.sid)
    assert len(twilio_fake.messages) == 1
