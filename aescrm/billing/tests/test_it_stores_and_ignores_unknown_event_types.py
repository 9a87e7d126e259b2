"""An event type AES-CRM does not act on is answered 200 and stored, and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.billing.tests.support import billing_audit, deliver, stored_events
from aescrm.testing.fakes.stripe import FakeStripe

pytestmark = pytest.mark.django_db


def test_an_unknown_event_is_stored_and_ignored(clinic_a: Any, stripe_fake: FakeStripe) -> None:
    event = stripe_fake.event("charge.refund.updated", {"id": "re_1", "object": "refund"})

    response = deliver(event)

    assert response.status_code == 200
    assert response.json()["outcome"].startswith("ignored")
    [stored] = stored_events()
    assert (stored.event_id, stored.type, stored.processed_at) == (
        event["id"],
        "charge.refund.updated",
        None,
    )
    assert billing_audit(clinic_a) == []
    assert [r.path for r in stripe_fake.requests] == []  # nothing to ask Stripe about
