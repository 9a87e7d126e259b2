"""Texts held at a plan's limit go as soon as Stripe says the clinic moved to a bigger plan,
not at the next period."""

from __future__ import annotations

import time_machine
from django.utils import timezone

from aescrm.billing.models import Metric
from aescrm.billing.tests.support import deliver, row, subscribed
from aescrm.billing.tests.usage_support import NOON, queue_sms, reload, run_worker, use
from aescrm.messaging.models import Status
from aescrm.messaging.tests.conftest import connect
from aescrm.testing.fakes.stripe import FakeStripe
from aescrm.testing.fakes.twilio import FakeTwilio
from aescrm.testing.fixtures import ClinicWorld


# Midday, outside quiet hours, so the only thing holding the text is the limit.
@time_machine.travel(NOON, tick=True)
def test_an_upgrade_releases_texts_held_at_the_old_limit(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio, stripe_fake: FakeStripe
) -> None:
    sub = subscribed(clinic_a, stripe_fake, price="price_growth")
    connect(clinic_a)
    now = timezone.now()
    use(clinic_a, Metric.SMS_SEGMENTS, 4000, now=now)
    message = queue_sms(clinic_a, "07700 900431", "See you at 10:00", now=now)
    held = reload(clinic_a, message)
    assert (held.status, held.error_code) == (Status.QUEUED, "usage_limit")
    assert run_worker(clinic_a, now) == 0

    upgraded = stripe_fake.put_subscription(
        customer=sub["customer"],
        subscription_id=sub["id"],
        price="price_practice",
        metadata={"clinic_id": str(clinic_a.clinic.pk)},
    )
    assert deliver(stripe_fake.event("customer.subscription.updated", upgraded)).status_code == 200
    assert row(clinic_a).plan == "practice"

    released = reload(clinic_a, message)
    assert released.send_after is None and released.next_attempt_at is not None
    assert run_worker(clinic_a, max(timezone.now(), released.next_attempt_at)) == 1
    assert reload(clinic_a, message).status == Status.SENT
    assert len(twilio_fake.taken()) == 1
