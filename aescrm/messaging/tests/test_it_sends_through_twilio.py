"""The live adapter against a fake Twilio over HTTP: fields, retries, failures, no double sends."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from aescrm.core.tenancy import clinic_scope
from aescrm.messaging import services, twilio, worker
from aescrm.messaging.models import Message, Status
from aescrm.messaging.tests.conftest import PUBLIC, connect
from aescrm.testing.fakes import twilio as fake_twilio
from aescrm.testing.fakes.twilio import FakeTwilio
from aescrm.testing.fixtures import ClinicWorld

NOON = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)


def _queue(world: ClinicWorld, phone: str, body: str = "See you at 10:00") -> Message:
    patient = world.make_patient(phone=phone)
    with clinic_scope(world.clinic.pk):
        return services.message_queue(
            caller=world.caller(), patient=patient, body=body, kind="service", now=NOON
        )


def _run(world: ClinicWorld, now: dt.datetime = NOON) -> int:
    with clinic_scope(world.clinic.pk):
        return worker.process_clinic(now=now)


def _get(world: ClinicWorld, message: Message) -> Message:
    with clinic_scope(world.clinic.pk):
        return Message.objects.get(pk=message.pk)


def test_it_posts_the_documented_fields(clinic_a: ClinicWorld, twilio_fake: FakeTwilio) -> None:
    connect(clinic_a)
    message = _queue(clinic_a, "07700 900300")
    assert _run(clinic_a) == 1
    (request,) = [r for r in twilio_fake.requests if r.method == "POST"]
    assert request.path == f"/2010-04-01/Accounts/{fake_twilio.ACCOUNT_SID}/Messages.json"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    credentials = f"{fake_twilio.ACCOUNT_SID}:{fake_twilio.AUTH_TOKEN}".encode()
    assert request.headers["authorization"] == "Basic " + base64.b64encode(credentials).decode()
    form = {k: v[0] for k, v in request.form.items()}
    message = _get(clinic_a, message)
    assert form["To"] == "+447700900300"
    assert form["From"] == fake_twilio.NUMBER
    assert form["Body"] == "See you at 10:00"
    assert form["StatusCallback"] == (
        f"{PUBLIC}/webhooks/twilio/status?m={message.pk}&k={message.attempt_key}"
    )
    assert message.status == Status.SENT
    assert message.provider == "twilio"
    assert message.provider_id == twilio_fake.messages[0]["sid"]
    assert message.attempts == 1
    assert message.sent_at == NOON


def test_messaging_service_sid_replaces_from(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    connect(clinic_a, messaging_service_sid="MG" + "1" * 32)
    _queue(clinic_a, "07700 900301")
    _run(clinic_a)
    form = twilio_fake.requests[-1].form
    assert form["MessagingServiceSid"] == ["MG" + "1" * 32]
    assert "From" not in form


def test_transient_failures_retry_with_backoff(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    connect(clinic_a)
    message = _queue(clinic_a, "07700 900302")
    twilio_fake.fail_next = [503, (429, 20429)]
    _run(clinic_a)
    message = _get(clinic_a, message)
    assert (message.status, message.attempts) == (Status.SENDING, 1)
    assert message.next_attempt_at == NOON + dt.timedelta(seconds=60)
    assert "503" in message.error_reason
    assert _run(clinic_a, NOON + dt.timedelta(seconds=59)) == 0
    _run(clinic_a, NOON + dt.timedelta(seconds=60))
    message = _get(clinic_a, message)
    assert (message.status, message.attempts, message.error_code) == (Status.SENDING, 2, "20429")
    assert message.next_attempt_at == NOON + dt.timedelta(seconds=180)
    _run(clinic_a, NOON + dt.timedelta(seconds=180))
    message = _get(clinic_a, message)
    assert (message.status, message.attempts, message.error_code) == (Status.SENT, 3, "")
    assert len(twilio_fake.messages) == 1


def test_permanent_failures_fail_with_the_reason(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    connect(clinic_a)
    twilio_fake.invalid_numbers.add("+447700900303")
    twilio_fake.unsubscribed.add("+447700900304")
    bad = _queue(clinic_a, "07700 900303")
    stopped = _queue(clinic_a, "07700 900304")
    _run(clinic_a)
    bad, stopped = _get(clinic_a, bad), _get(clinic_a, stopped)
    assert (bad.status, bad.error_code) == (Status.FAILED, "21211")
    assert bad.error_reason == "invalid 'To' phone number"
    assert (stopped.status, stopped.error_code) == (Status.FAILED, "21610")
    assert "STOP" in stopped.error_reason
    assert _run(clinic_a, NOON + dt.timedelta(hours=1)) == 0
    assert twilio_fake.messages == []


def test_a_crash_after_the_call_is_reconciled_not_sent_twice(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    """The worker marked the attempt and Twilio took the message, then the worker died."""
    row = connect(clinic_a)
    message = _queue(clinic_a, "07700 900305")
    with clinic_scope(clinic_a.clinic.pk):
        (claimed,) = worker.claim(NOON)
        worker._begin(claimed, NOON)
        twilio.send_sms(
            row,
            to="+447700900305",
            body="See you at 10:00",
            status_callback=worker.status_callback_url(claimed),
        )
        # … no database update. Another worker sees nothing until the lease runs out.
        assert worker.process_clinic(now=NOON + dt.timedelta(minutes=1)) == 0
        worker.process_clinic(now=NOON + worker.LEASE + dt.timedelta(seconds=1))
        message = Message.objects.get(pk=message.pk)
    assert len(twilio_fake.messages) == 1
    assert message.status == Status.SENT
    assert message.provider_id == twilio_fake.messages[0]["sid"]
    assert message.attempts == 1


def test_a_crash_before_the_call_sends_once(clinic_a: ClinicWorld, twilio_fake: FakeTwilio) -> None:
    connect(clinic_a)
    message = _queue(clinic_a, "07700 900306")
    with clinic_scope(clinic_a.clinic.pk):
        (claimed,) = worker.claim(NOON)
        worker._begin(claimed, NOON)
        worker.process_clinic(now=NOON + worker.LEASE + dt.timedelta(seconds=1))
        message = Message.objects.get(pk=message.pk)
    assert len(twilio_fake.messages) == 1
    assert (message.status, message.attempts) == (Status.SENT, 2)


def test_console_mode_records_without_calling(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio, settings: Any
) -> None:
    settings.MESSAGING_MODE = "console"
    message = _queue(clinic_a, "07700 900307")
    _run(clinic_a)
    message = _get(clinic_a, message)
    assert (message.status, message.provider) == (Status.SENT, "console")
    assert twilio_fake.requests == []


def test_unconfigured_clinic_fails_clearly(clinic_a: ClinicWorld, twilio_fake: FakeTwilio) -> None:
    message = _queue(clinic_a, "07700 900308")
    _run(clinic_a)
    message = _get(clinic_a, message)
    assert (message.status, message.error_code) == (Status.FAILED, "not_configured")


def test_the_sweep_sends_every_clinics_due_messages(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    connect(clinic_a)
    connect(clinic_b, number="+447700900002")
    _queue(clinic_a, "07700 900309")
    _queue(clinic_b, "07700 900310")
    assert worker.process_all(now=NOON) == 2
    assert sorted(m["from"] for m in twilio_fake.messages) == ["+447700900001", "+447700900002"]
