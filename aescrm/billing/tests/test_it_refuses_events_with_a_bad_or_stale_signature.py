"""Only an event signed with the configured secret, recently, is taken: anything else gets
400 with a problem naming what is wrong, and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.billing.models import Status
from aescrm.billing.tests.support import (
    billing_audit,
    deliver,
    now,
    post_raw,
    row,
    stored_events,
    subscribed,
)
from aescrm.testing.fakes.stripe import FakeStripe, sign

pytestmark = pytest.mark.django_db


def _cancelled(clinic_a: Any, stripe_fake: FakeStripe) -> dict[str, Any]:
    sub = subscribed(clinic_a, stripe_fake)
    stripe_fake.update_subscription(sub["id"], status="canceled")
    return stripe_fake.event("customer.subscription.deleted", sub)


def _assert_nothing_changed(clinic_a: Any) -> None:
    assert row(clinic_a).status == Status.ACTIVE
    assert stored_events() == []
    assert billing_audit(clinic_a, "billing.subscription") == []


def test_a_good_signature_is_applied(clinic_a: Any, stripe_fake: FakeStripe) -> None:
    response = deliver(_cancelled(clinic_a, stripe_fake))

    assert response.status_code == 200, response.content
    assert row(clinic_a).status == Status.CANCELED
    assert len(stored_events()) == 1


@pytest.mark.parametrize(
    ("case", "problem"),
    [
        ("wrong secret", "does not match"),
        ("body changed after signing", "does not match"),
        ("stale", "more than 300 seconds old"),
        ("missing header", "Stripe-Signature header is missing"),
        ("malformed header", "malformed"),
    ],
)
def test_a_bad_stale_or_missing_signature_gets_400_and_changes_nothing(
    clinic_a: Any, stripe_fake: FakeStripe, case: str, problem: str
) -> None:
    event = _cancelled(clinic_a, stripe_fake)
    if case == "wrong secret":
        response = deliver(event, secret="whsec_someone_else")
    elif case == "body changed after signing":
        body, header = sign(event)
        tampered = body.replace("customer.subscription.deleted", "customer.subscription.updated")
        response = post_raw(tampered, HTTP_STRIPE_SIGNATURE=header)
    elif case == "stale":
        response = deliver(event, timestamp=now() - 301)
    elif case == "missing header":
        body, _ = sign(event)
        response = post_raw(body)
    else:
        body, _ = sign(event)
        response = post_raw(body, HTTP_STRIPE_SIGNATURE="v1=abc,nonsense")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400
    assert problem in body["detail"], body
    _assert_nothing_changed(clinic_a)


def test_a_signature_just_inside_the_tolerance_is_taken(
    clinic_a: Any, stripe_fake: FakeStripe
) -> None:
    response = deliver(_cancelled(clinic_a, stripe_fake), timestamp=now() - 290)

    assert response.status_code == 200
    assert row(clinic_a).status == Status.CANCELED


def test_without_a_webhook_secret_nothing_is_taken(
    clinic_a: Any, stripe_fake: FakeStripe, settings: Any
) -> None:
    event = _cancelled(clinic_a, stripe_fake)
    settings.STRIPE_WEBHOOK_SECRET = ""

    response = deliver(event)

    assert response.status_code == 503
    assert "STRIPE_WEBHOOK_SECRET" in response.json()["detail"]
    _assert_nothing_changed(clinic_a)
