"""Where AES-CRM has the webhook secret but no Stripe API key, nothing can be read back from
Stripe: the event's own snapshot decides, an event older than one already applied is not
applied, and a cancellation still cannot be undone by an update that arrives late."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from aescrm.billing.models import Status
from aescrm.billing.state import Mode, account_state
from aescrm.billing.tests.support import deliver, row, subscribed
from aescrm.testing.fakes.stripe import FakeStripe

pytestmark = pytest.mark.django_db


def _at(event: dict[str, Any], created: int) -> dict[str, Any]:
    event["created"] = created
    return event


@pytest.fixture
def no_api_key(stripe_fake: FakeStripe, settings: Any) -> FakeStripe:
    settings.STRIPE_SECRET_KEY = ""
    return stripe_fake


def test_deleted_before_updated_leaves_the_clinic_cancelled(
    clinic_a: Any, no_api_key: FakeStripe
) -> None:
    sub = subscribed(clinic_a, no_api_key)
    active = copy.deepcopy(sub)
    ended = dict(copy.deepcopy(sub), status="canceled", ended_at=1_800_000_100)
    updated = _at(no_api_key.event("customer.subscription.updated", active), 1_800_000_000)
    deleted = _at(no_api_key.event("customer.subscription.deleted", ended), 1_800_000_100)

    assert deliver(deleted).status_code == 200
    late = deliver(updated)

    assert late.status_code == 200
    assert "not applied" in late.json()["outcome"]
    assert row(clinic_a).status == Status.CANCELED
    assert account_state(clinic_a.clinic.pk).mode is Mode.READ_ONLY
    assert no_api_key.requests == []  # nothing was asked of Stripe's API


def test_each_event_is_applied_once_and_a_newer_state_wins(
    clinic_a: Any, no_api_key: FakeStripe
) -> None:
    sub = subscribed(clinic_a, no_api_key)
    overdue = _at(
        no_api_key.event("customer.subscription.updated", dict(sub, status="past_due")),
        1_800_000_000,
    )
    paid = _at(
        no_api_key.event("customer.subscription.updated", dict(sub, status="active")),
        1_800_000_200,
    )

    for _ in range(3):
        assert deliver(overdue).status_code == 200
    assert row(clinic_a).status == Status.PAST_DUE
    assert deliver(paid).status_code == 200
    assert row(clinic_a).status == Status.ACTIVE
    assert (
        "older than an event already applied"
        in deliver(
            _at(copy.deepcopy(overdue), 1_800_000_000) | {"id": "evt_redelivered_copy"}
        ).json()["outcome"]
    )
    assert row(clinic_a).status == Status.ACTIVE
