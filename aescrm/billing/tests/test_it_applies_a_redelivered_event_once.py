"""Stripe delivers an event at least once: the same event id, however often and however
simultaneously it arrives, is stored once and applied once."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from aescrm.billing.models import Status
from aescrm.billing.tests.support import billing_audit, deliver, row, stored_events, subscribed
from aescrm.testing.fakes.stripe import FakeStripe


@pytest.mark.django_db
def test_two_deliveries_in_a_row_apply_once(clinic_a: Any, stripe_fake: FakeStripe) -> None:
    sub = subscribed(clinic_a, stripe_fake)
    stripe_fake.update_subscription(sub["id"], status="past_due")
    event = stripe_fake.event("customer.subscription.updated", sub)

    first = deliver(event)
    overdue_since = row(clinic_a).payment_overdue_since
    second = deliver(event)

    assert (first.status_code, second.status_code) == (200, 200)
    assert first.json()["outcome"] == "subscription applied"
    assert second.json()["outcome"] == "duplicate"
    assert row(clinic_a).status == Status.PAST_DUE
    assert row(clinic_a).payment_overdue_since == overdue_since
    assert [e.event_id for e in stored_events()] == [event["id"]]
    assert len(billing_audit(clinic_a, "billing.subscription_update")) == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_deliveries_apply_once(
    allow_audit_flush: None, clinic_a: Any, stripe_fake: FakeStripe
) -> None:
    sub = subscribed(clinic_a, stripe_fake)
    stripe_fake.update_subscription(sub["id"], status="canceled")
    event = stripe_fake.event("customer.subscription.deleted", sub)
    barrier = threading.Barrier(4)
    statuses: list[int] = []

    def send() -> None:
        try:
            barrier.wait()
            statuses.append(deliver(event).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [200, 200, 200, 200]
    assert row(clinic_a).status == Status.CANCELED
    assert [e.event_id for e in stored_events()] == [event["id"]]
    assert len(billing_audit(clinic_a, "billing.subscription_update")) == 1
    assert len(billing_audit(clinic_a, "clinic.terminate")) == 1
