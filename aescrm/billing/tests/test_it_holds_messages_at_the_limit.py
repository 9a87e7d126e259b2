"""At 100% of a limit new texts and emails are held, not dropped: nothing reaches Twilio or
Postmark, the message says which limit and when it resets, and it goes when the period
resets, or at once when the owner allows overage."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
import time_machine

from aescrm.audit.models import AuditEntry
from aescrm.billing import usage_services
from aescrm.billing.models import Metric, UsageCounter
from aescrm.billing.tests.usage_support import (
    DECEMBER,
    NOON,
    counted,
    queue_email,
    queue_sms,
    reload,
    run_worker,
    subscribe,
    use,
)
from aescrm.core.tenancy import clinic_scope
from aescrm.mail.tests.conftest import connect as connect_mail
from aescrm.messaging.models import Status
from aescrm.messaging.tests.conftest import connect
from aescrm.testing.fakes.postmark import FakePostmark
from aescrm.testing.fakes.twilio import FakeTwilio
from aescrm.testing.fixtures import ClinicWorld

REACHED_SMS = (
    "Monthly SMS limit of 4,000 segments reached on 12 December 2026; it resets on "
    "1 January 2027, or upgrade your plan (or allow overage) to carry on now."
)
JANUARY = dt.datetime(2027, 1, 1, 9, 0, tzinfo=dt.UTC)


def test_a_text_past_the_limit_is_held_with_the_reason_and_nothing_reaches_twilio(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio, caplog: pytest.LogCaptureFixture
) -> None:
    subscribe(clinic_a)  # growth: 4,000 segments a month
    connect(clinic_a)
    use(clinic_a, Metric.SMS_SEGMENTS, 4000)
    with caplog.at_level(logging.WARNING):
        message = queue_sms(clinic_a, "07700 900420", "See you at 10:00")
    assert any(REACHED_SMS in r.getMessage() for r in caplog.records)
    message = reload(clinic_a, message)
    assert (message.status, message.error_code) == (Status.QUEUED, "usage_limit")
    assert message.error_reason == REACHED_SMS
    assert message.send_after == DECEMBER.end == message.next_attempt_at
    assert run_worker(clinic_a) == 0
    assert run_worker(clinic_a, NOON + dt.timedelta(days=5)) == 0
    assert twilio_fake.requests == []
    assert counted(clinic_a, Metric.SMS_SEGMENTS) == 4000
    with clinic_scope(clinic_a.clinic.pk):
        entry = AuditEntry.objects.get(action="message.queue", object_id=str(message.pk))
    assert entry.detail["held_for_usage_limit"] is True


def test_a_text_queued_below_the_limit_is_held_by_the_worker_once_it_is_reached(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    subscribe(clinic_a)
    connect(clinic_a)
    use(clinic_a, Metric.SMS_SEGMENTS, 3999)
    first = queue_sms(clinic_a, "07700 900421", "Reminder one")
    second = queue_sms(clinic_a, "07700 900422", "Reminder two")
    # The first goes (3,999 is below the limit) and reaches it; the second is held.
    assert run_worker(clinic_a) == 1
    assert reload(clinic_a, first).status == Status.SENT
    held = reload(clinic_a, second)
    assert (held.status, held.error_reason) == (Status.QUEUED, REACHED_SMS)
    assert len(twilio_fake.taken()) == 1
    with clinic_scope(clinic_a.clinic.pk):
        assert AuditEntry.objects.filter(action="message.held").count() == 1
    counter = UsageCounter.objects.get(clinic=clinic_a.clinic, metric=Metric.SMS_SEGMENTS)
    assert (counter.count, counter.limit_reached_at) == (4000, NOON)


def test_an_email_past_the_limit_is_held_and_nothing_reaches_postmark(
    clinic_a: ClinicWorld, postmark_fake: FakePostmark
) -> None:
    subscribe(clinic_a, plan="starter")  # 2,000 emails a month
    connect_mail(clinic_a)
    use(clinic_a, Metric.EMAILS, 2000)
    message = queue_email(clinic_a, "olwen@example.com")
    assert run_worker(clinic_a) == 0
    message = reload(clinic_a, message)
    assert message.status == Status.QUEUED
    assert message.error_reason.startswith("Monthly email limit of 2,000 emails reached on")
    assert postmark_fake.messages == []


def test_held_messages_go_when_the_period_resets(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    subscribe(clinic_a)
    connect(clinic_a)
    use(clinic_a, Metric.SMS_SEGMENTS, 4000)
    message = queue_sms(clinic_a, "07700 900423", "Happy new year")
    # No renewal from Stripe yet: January counts by the calendar month, from zero.
    assert run_worker(clinic_a, JANUARY) == 1
    message = reload(clinic_a, message)
    assert (message.status, message.error_code, message.error_reason) == (Status.SENT, "", "")
    assert len(twilio_fake.taken()) == 1
    january = UsageCounter.objects.get(
        clinic=clinic_a.clinic, metric=Metric.SMS_SEGMENTS, period_start=JANUARY.replace(hour=0)
    )
    assert january.count == 1


def test_allowing_overage_releases_held_messages_and_bills_what_goes_past(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio, settings: Any
) -> None:
    subscribe(clinic_a)
    connect(clinic_a)
    use(clinic_a, Metric.SMS_SEGMENTS, 4000)
    message = queue_sms(clinic_a, "07700 900424", "See you at 10:00")
    with clinic_scope(clinic_a.clinic.pk):
        usage_services.overage_set(caller=clinic_a.caller(), allow=True)
    message = reload(clinic_a, message)
    assert message.send_after is None and message.next_attempt_at is not None
    assert run_worker(clinic_a, max(NOON, message.next_attempt_at)) == 1
    assert reload(clinic_a, message).status == Status.SENT
    counter = UsageCounter.objects.get(clinic=clinic_a.clinic, metric=Metric.SMS_SEGMENTS)
    assert (counter.count, counter.overage, counter.overage_reported) == (4001, 1, 0)


def test_the_api_says_a_message_is_held_and_why(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    subscribe(clinic_a)
    connect(clinic_a)
    use(clinic_a, Metric.SMS_SEGMENTS, 4000)
    patient = clinic_a.make_patient(phone="07700 900425")
    with time_machine.travel(NOON, tick=True):
        response = clinic_a.api().post(
            "/api/v1/messages", {"patient": str(patient.pk), "body": "See you at 10:00"}
        )
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["error_code"]) == ("queued", "usage_limit")
    assert body["error_reason"] == REACHED_SMS
    assert body["send_after"] == "2027-01-01T00:00:00Z"
