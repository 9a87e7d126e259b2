"""A clinic that allows overage: the units past its limit go to Stripe as meter events for
its customer, each unit once, even when an answer is lost and the run is retried."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from aescrm.billing import overage
from aescrm.billing.models import Metric, UsageCounter
from aescrm.billing.tests.fake_meter_events import SECRET_KEY, FakeMeterEvents
from aescrm.billing.tests.usage_support import NOON, subscribe, use
from aescrm.testing.fixtures import ClinicWorld

CUSTOMER = "cus_AlphaDental01"


@pytest.fixture
def stripe_fake(settings: Any) -> Iterator[FakeMeterEvents]:
    fake = FakeMeterEvents()
    fake.start()
    settings.STRIPE_API_BASE = fake.origin
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    yield fake
    fake.stop()


def _counter(world: ClinicWorld) -> UsageCounter:
    return UsageCounter.objects.get(clinic=world.clinic, metric=Metric.SMS_SEGMENTS)


def test_overage_is_sent_as_a_meter_event_for_the_clinics_customer(
    clinic_a: ClinicWorld, stripe_fake: FakeMeterEvents
) -> None:
    subscribe(clinic_a, allow_overage=True, stripe_customer_id=CUSTOMER)
    use(clinic_a, Metric.SMS_SEGMENTS, 4005)
    assert overage.report_overage(now=NOON) == 5
    (request,) = stripe_fake.requests
    form = {k: v[0] for k, v in request.form.items()}
    counter = _counter(clinic_a)
    assert form == {
        "event_name": "aescrm_sms_segments",
        "identifier": f"aescrm-usage-{counter.pk}-0-5",
        "payload[stripe_customer_id]": CUSTOMER,
        "payload[value]": "5",
        "timestamp": str(int(NOON.timestamp())),
    }
    assert (counter.overage, counter.overage_reported) == (5, 5)
    assert overage.report_overage(now=NOON) == 0  # nothing new: nothing sent
    assert len(stripe_fake.requests) == 1


def test_a_lost_answer_resends_the_same_chunk_and_stripe_counts_it_once(
    clinic_a: ClinicWorld, stripe_fake: FakeMeterEvents
) -> None:
    subscribe(clinic_a, allow_overage=True, stripe_customer_id=CUSTOMER)
    use(clinic_a, Metric.SMS_SEGMENTS, 4005)
    stripe_fake.lose_answers = 1
    assert overage.report_overage(now=NOON) == 0  # Stripe took it; we did not hear back
    assert (_counter(clinic_a).overage_sending, _counter(clinic_a).overage_reported) == (5, 0)
    use(clinic_a, Metric.SMS_SEGMENTS, 3)  # more overage meanwhile
    assert overage.report_overage(now=NOON) == 5  # the same chunk, the same identifier
    assert overage.report_overage(now=NOON) == 3  # then the rest
    identifiers = [r.form["identifier"][0] for r in stripe_fake.requests]
    counter = _counter(clinic_a)
    assert identifiers == [
        f"aescrm-usage-{counter.pk}-0-5",
        f"aescrm-usage-{counter.pk}-0-5",
        f"aescrm-usage-{counter.pk}-5-8",
    ]
    assert stripe_fake.total(CUSTOMER, "aescrm_sms_segments") == 8
    assert (counter.overage, counter.overage_reported) == (8, 8)


def test_without_overage_allowed_nothing_is_billed(
    clinic_a: ClinicWorld, stripe_fake: FakeMeterEvents
) -> None:
    subscribe(clinic_a, stripe_customer_id=CUSTOMER)
    use(clinic_a, Metric.SMS_SEGMENTS, 4005)  # e.g. the last text before the limit was long
    assert _counter(clinic_a).overage == 0
    assert overage.report_overage(now=NOON) == 0
    assert stripe_fake.requests == []
