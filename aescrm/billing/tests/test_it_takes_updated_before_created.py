"""``customer.subscription.updated`` overtaking ``created`` is fine: both apply what Stripe
holds now, so the clinic ends on the subscription's current plan and period."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aescrm.billing.models import Status
from aescrm.billing.services import trial_start
from aescrm.billing.tests.support import deliver, row
from aescrm.testing.fakes.stripe import FakeStripe

pytestmark = pytest.mark.django_db


def test_updated_then_created_ends_on_the_current_state(
    clinic_a: Any, stripe_fake: FakeStripe
) -> None:
    trial_start(clinic=clinic_a.clinic)
    customer = stripe_fake.add_customer()
    sub = stripe_fake.put_subscription(
        customer=customer,
        price="price_starter",
        status="incomplete",
        metadata={"clinic_id": str(clinic_a.clinic.pk)},
    )
    created = stripe_fake.event("customer.subscription.created", sub)
    stripe_fake.update_subscription(sub["id"], status="active", price="price_practice")
    updated = stripe_fake.event("customer.subscription.updated", sub)

    assert deliver(updated).status_code == 200
    assert deliver(created).status_code == 200

    subscription = row(clinic_a)
    assert subscription.status == Status.ACTIVE
    assert subscription.plan == "practice"
    assert subscription.stripe_subscription_id == sub["id"]
    assert subscription.stripe_customer_id == customer
    period = sub["items"]["data"][0]
    assert subscription.current_period_end == dt.datetime.fromtimestamp(
        period["current_period_end"], tz=dt.UTC
    )
    assert subscription.payment_overdue_since is None
