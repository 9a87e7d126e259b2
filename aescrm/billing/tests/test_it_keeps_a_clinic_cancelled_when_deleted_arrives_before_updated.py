"""``customer.subscription.deleted`` overtaken by an older ``updated``: the clinic stays
cancelled (a cancelled subscription never comes back), and its retention clock runs."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from aescrm.billing.models import Status
from aescrm.billing.state import Mode, account_state
from aescrm.billing.tests.support import deliver, row, stored_events, subscribed
from aescrm.testing.fakes.stripe import FakeStripe

pytestmark = pytest.mark.django_db


def test_deleted_then_a_late_updated_leaves_the_clinic_cancelled(
    clinic_a: Any, stripe_fake: FakeStripe
) -> None:
    sub = subscribed(clinic_a, stripe_fake)
    # Stripe sent "updated" (cancel at period end) first, then "deleted"; they arrive swapped.
    stripe_fake.update_subscription(sub["id"], cancel_at_period_end=True)
    updated = stripe_fake.event(
        "customer.subscription.updated",
        sub,
        previous_attributes={"cancel_at_period_end": False},
    )
    stripe_fake.update_subscription(sub["id"], status="canceled")
    deleted = stripe_fake.event("customer.subscription.deleted", sub)

    assert deliver(deleted).status_code == 200
    assert deliver(updated).status_code == 200

    subscription = row(clinic_a)
    assert subscription.status == Status.CANCELED
    assert subscription.ended_at is not None
    assert account_state(clinic_a.clinic.pk).mode is Mode.READ_ONLY
    clinic_a.clinic.refresh_from_db()
    assert clinic_a.clinic.terminated_at is not None
    assert len(stored_events()) == 2


def test_a_late_updated_payload_saying_active_cannot_un_cancel(
    clinic_a: Any, stripe_fake: FakeStripe
) -> None:
    sub = subscribed(clinic_a, stripe_fake)
    stale = copy.deepcopy(sub)  # the payload of an old "updated": status active
    stripe_fake.update_subscription(sub["id"], status="canceled")
    assert deliver(stripe_fake.event("customer.subscription.deleted", sub)).status_code == 200
    # Even if Stripe's answer were somehow stale too, the id's cancellation is final.
    stripe_fake.update_subscription(sub["id"], status="active")

    response = deliver(stripe_fake.event("customer.subscription.updated", stale))

    assert response.status_code == 200
    assert "ended" in response.json()["outcome"]
    assert row(clinic_a).status == Status.CANCELED
