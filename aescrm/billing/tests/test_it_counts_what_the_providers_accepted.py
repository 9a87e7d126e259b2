"""Real sends against the fake Twilio and Postmark: SMS counted in segments, emails one each,
both when the provider accepts them; inbound texts and refused sends are not counted."""

from __future__ import annotations

from aescrm.billing.models import Metric
from aescrm.billing.tests.usage_support import (
    counted,
    queue_email,
    queue_sms,
    reload,
    run_worker,
    subscribe,
)
from aescrm.mail.tests.conftest import connect as connect_mail
from aescrm.messaging.models import Status
from aescrm.messaging.tests.conftest import connect, inbound
from aescrm.testing.fakes.postmark import FakePostmark
from aescrm.testing.fakes.twilio import FakeTwilio
from aescrm.testing.fixtures import ClinicWorld

LONG = "Your appointment at Alpha Dental is confirmed. " * 4  # 188 GSM characters: 2 parts
EMOJI = "See you tomorrow 😊"  # UCS-2: 1 part


def test_sms_count_in_segments_when_twilio_accepts_them(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    subscribe(clinic_a)
    connect(clinic_a)
    long = queue_sms(clinic_a, "07700 900400", LONG)
    short = queue_sms(clinic_a, "07700 900401", EMOJI)
    assert counted(clinic_a, Metric.SMS_SEGMENTS) == 0  # queued is not sent
    assert run_worker(clinic_a) == 2
    assert (reload(clinic_a, long).segments, reload(clinic_a, short).segments) == (2, 1)
    assert len(twilio_fake.taken()) == 2
    assert counted(clinic_a, Metric.SMS_SEGMENTS) == 3


def test_a_text_twilio_refuses_is_not_counted(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    subscribe(clinic_a)
    connect(clinic_a)
    twilio_fake.invalid_numbers.add("+447700900402")
    message = queue_sms(clinic_a, "07700 900402", "Hello")
    run_worker(clinic_a)
    assert reload(clinic_a, message).status == Status.FAILED
    assert counted(clinic_a, Metric.SMS_SEGMENTS) == 0


def test_inbound_texts_are_not_counted(clinic_a: ClinicWorld, twilio_fake: FakeTwilio) -> None:
    subscribe(clinic_a)
    connect(clinic_a)
    assert inbound("Hi, do you do whitening?", sender="+447700900403", sid="SM" + "4" * 32)
    assert counted(clinic_a, Metric.SMS_SEGMENTS) == 0


def test_emails_count_one_each_when_postmark_accepts_them(
    clinic_a: ClinicWorld, postmark_fake: FakePostmark
) -> None:
    subscribe(clinic_a)
    connect_mail(clinic_a)
    first = queue_email(clinic_a, "olwen@example.com")
    second = queue_email(clinic_a, "rhys@example.com")
    assert run_worker(clinic_a) == 2
    assert {reload(clinic_a, m).status for m in (first, second)} == {Status.SENT}
    assert len(postmark_fake.sent_to("olwen@example.com")) == 1
    assert counted(clinic_a, Metric.EMAILS) == 2
    assert counted(clinic_a, Metric.SMS_SEGMENTS) == 0


def test_a_clinic_without_a_subscription_is_counted_with_no_limit(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    connect(clinic_a)
    queue_sms(clinic_a, "07700 900404", LONG)
    run_worker(clinic_a)
    assert counted(clinic_a, Metric.SMS_SEGMENTS) == 2
