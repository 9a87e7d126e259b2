"""A send that is retried, reconciled or reported twice is counted once.

Twilio takes a text and the connection drops before the worker hears back: the
status callback, the worker's next look at Twilio, or both, record it; a
replayed callback changes nothing. Postmark likewise with its event webhook.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine

from aescrm.billing.models import Metric
from aescrm.billing.tests.usage_support import (
    NOON,
    counted,
    queue_email,
    queue_sms,
    reload,
    run_worker,
    subscribe,
)
from aescrm.core.tenancy import clinic_scope
from aescrm.mail import postmark, provider
from aescrm.mail.tests import payloads
from aescrm.mail.tests.conftest import connect as connect_mail
from aescrm.mail.tests.conftest import login_of, post_hook
from aescrm.messaging import worker
from aescrm.messaging.models import Message, Status
from aescrm.messaging.tests.conftest import connect, signed_post
from aescrm.testing.fakes.postmark import FakePostmark
from aescrm.testing.fakes.twilio import FakeTwilio
from aescrm.testing.fixtures import ClinicWorld

LONG = "Your appointment at Alpha Dental is confirmed. " * 4  # 2 segments


@pytest.fixture(autouse=True)
def _at_noon() -> Iterator[None]:
    # Webhooks read the clock: keep it in the subscription's December period.
    with time_machine.travel(NOON, tick=False):
        yield


def _callback(message: Message, sid: str, status: str = "sent") -> int:
    path = f"/webhooks/twilio/status?m={message.pk}&k={message.attempt_key}"
    return int(signed_post(path, {"MessageSid": sid, "MessageStatus": status}).status_code)


def _dropped_send(world: ClinicWorld, fake: FakeTwilio) -> Message:
    """Twilio takes the text and hangs up: the worker does not know it went."""
    fake.drop_after_taking = 1
    message = queue_sms(world, "07700 900410", LONG)
    run_worker(world)
    message = reload(world, message)
    assert message.status == Status.SENDING and not message.provider_id
    assert len(fake.taken()) == 1
    return message


def test_the_status_callback_counts_it_and_a_replay_does_not(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    subscribe(clinic_a)
    connect(clinic_a)
    message = _dropped_send(clinic_a, twilio_fake)
    assert counted(clinic_a, Metric.SMS_SEGMENTS) == 0
    sid = twilio_fake.taken()[0]["sid"]
    assert _callback(message, sid) == 200
    assert counted(clinic_a, Metric.SMS_SEGMENTS) == 2
    assert _callback(message, sid) == 200
    assert _callback(message, sid, "delivered") == 200
    run_worker(clinic_a, NOON + worker.LEASE + dt.timedelta(seconds=1))
    assert reload(clinic_a, message).status == Status.DELIVERED
    assert len(twilio_fake.taken()) == 1
    assert counted(clinic_a, Metric.SMS_SEGMENTS) == 2


def test_the_worker_reconciling_counts_it_and_the_late_callback_does_not(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio, settings: object
) -> None:
    subscribe(clinic_a)
    connect(clinic_a)
    message = _dropped_send(clinic_a, twilio_fake)
    run_worker(clinic_a, NOON + worker.retry_delay(1) + dt.timedelta(seconds=1))
    message = reload(clinic_a, message)
    sid = twilio_fake.taken()[0]["sid"]
    assert (message.status, message.provider_id) == (Status.SENT, sid)
    assert len(twilio_fake.taken()) == 1  # found at Twilio, not sent again
    assert counted(clinic_a, Metric.SMS_SEGMENTS) == 2
    assert _callback(message, sid) == 200
    assert counted(clinic_a, Metric.SMS_SEGMENTS) == 2


def test_an_email_recorded_by_postmarks_event_counts_once(
    clinic_a: ClinicWorld, postmark_fake: FakePostmark
) -> None:
    subscribe(clinic_a)
    row = connect_mail(clinic_a)
    message = queue_email(clinic_a, "lost@example.com")
    with clinic_scope(clinic_a.clinic.pk):
        # The worker dies after Postmark took the email, before recording it.
        (claimed,) = worker.claim(NOON)
        worker._begin(claimed, NOON)
        sent = postmark.send(row, provider.outgoing(claimed, row))
    assert counted(clinic_a, Metric.EMAILS) == 0
    payload = payloads.delivery(
        message_id=sent.sid,
        recipient="lost@example.com",
        metadata=postmark_fake.messages[0]["Metadata"],
    )
    assert post_hook("/webhooks/postmark/events", payload, login_of(row)).status_code == 200
    assert counted(clinic_a, Metric.EMAILS) == 1
    assert post_hook("/webhooks/postmark/events", payload, login_of(row)).status_code == 200
    run_worker(clinic_a, NOON + worker.LEASE + dt.timedelta(seconds=1))
    assert reload(clinic_a, message).provider_id == sent.sid
    assert len(postmark_fake.messages) == 1
    assert counted(clinic_a, Metric.EMAILS) == 1
