"""If Stripe cannot be asked for the subscription's current state, the webhook answers 5xx
(so Stripe delivers the event again) and records nothing; the retry is then applied."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.billing.models import Status
from aescrm.billing.tests.support import deliver, row, stored_events, subscribed
from aescrm.testing.fakes.stripe import FakeStripe

pytestmark = pytest.mark.django_db


def test_stripe_down_gets_503_then_the_retry_applies(
    clinic_a: Any, stripe_fake: FakeStripe
) -> None:
    sub = subscribed(clinic_a, stripe_fake)
    stripe_fake.update_subscription(sub["id"], status="past_due")
    event = stripe_fake.event("customer.subscription.updated", sub)
    stripe_fake.fail_next = [500, 500, 500]  # the first try and both of the client's retries

    down = deliver(event)

    assert down.status_code == 503
    assert "Stripe answered 500" in down.json()["detail"]
    assert stored_events() == []
    assert row(clinic_a).status == Status.ACTIVE

    retried = deliver(event)

    assert retried.status_code == 200
    assert row(clinic_a).status == Status.PAST_DUE
    assert len(stored_events()) == 1


def test_a_wrong_api_key_is_named(clinic_a: Any, stripe_fake: FakeStripe, settings: Any) -> None:
    sub = subscribed(clinic_a, stripe_fake)
    settings.STRIPE_SECRET_KEY = "sk_test_wrong"

    response = deliver(stripe_fake.event("customer.subscription.updated", sub))

    assert response.status_code == 503
    assert "STRIPE_SECRET_KEY" in response.json()["detail"]
    assert stored_events() == []
