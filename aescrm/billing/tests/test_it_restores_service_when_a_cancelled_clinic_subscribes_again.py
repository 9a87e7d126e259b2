"""A cancelled clinic that buys a plan again (a new Checkout, so a new subscription id) is
back to full service, and its account is no longer counted as ended for retention."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.billing.models import Status
from aescrm.billing.state import Mode, account_state
from aescrm.billing.tests.support import billing_audit, deliver, row, subscribed
from aescrm.testing.fakes.stripe import FakeStripe

pytestmark = pytest.mark.django_db


def test_a_new_subscription_replaces_a_cancelled_one(
    clinic_a: Any, stripe_fake: FakeStripe
) -> None:
    old = subscribed(clinic_a, stripe_fake)
    stripe_fake.update_subscription(old["id"], status="canceled")
    assert deliver(stripe_fake.event("customer.subscription.deleted", old)).status_code == 200
    clinic_a.clinic.refresh_from_db()
    assert clinic_a.clinic.terminated_at is not None

    new = stripe_fake.put_subscription(
        customer=old["customer"],
        price="price_starter",
        metadata={"clinic_id": str(clinic_a.clinic.pk)},
    )
    assert deliver(stripe_fake.event("customer.subscription.created", new)).status_code == 200

    subscription = row(clinic_a)
    assert (subscription.stripe_subscription_id, subscription.status, subscription.plan) == (
        new["id"],
        Status.ACTIVE,
        "starter",
    )
    assert subscription.ended_at is None
    assert account_state(clinic_a.clinic.pk).mode is Mode.FULL
    clinic_a.clinic.refresh_from_db()
    assert clinic_a.clinic.terminated_at is None
    [reactivated] = billing_audit(clinic_a, "clinic.reactivate")
    assert reactivated.detail["terminated_at_was"]

    # A late event about the old, cancelled subscription changes nothing now.
    late = deliver(stripe_fake.event("customer.subscription.deleted", old))
    assert late.status_code == 200
    assert "earlier subscription" in late.json()["outcome"]
    assert row(clinic_a).status == Status.ACTIVE
