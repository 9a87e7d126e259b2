"""A completed Checkout links the clinic named by client_reference_id to its new Stripe
customer and subscription, and the plan bought is the clinic's plan."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.billing import stripe_api
from aescrm.billing.models import Status, Subscription
from aescrm.billing.services import trial_start
from aescrm.billing.state import Mode, account_state
from aescrm.billing.tests.support import billing_audit, deliver, row, stored_events
from aescrm.testing.fakes.stripe import FakeStripe
from aescrm.web.tests.support import member_client

pytestmark = pytest.mark.django_db


def test_checkout_completed_links_customer_and_subscription(
    clinic_a: Any, clinic_b: Any, stripe_fake: FakeStripe
) -> None:
    trial_start(clinic=clinic_a.clinic)
    customer = stripe_api.customer_create(
        name="Alpha Dental", email="owner@alpha.test", clinic_id=str(clinic_a.clinic.pk)
    )
    url = stripe_api.checkout_session_create(
        price_id="price_practice",
        customer_id=customer,
        clinic_id=str(clinic_a.clinic.pk),
        plan_key="practice",
        success_url="https://crm.example/settings/billing?checkout=done",
        cancel_url="https://crm.example/settings/billing?checkout=cancelled",
    )
    session = stripe_fake.complete_checkout(url.rsplit("/", 1)[1])

    response = deliver(stripe_fake.event("checkout.session.completed", session))

    assert response.status_code == 200, response.content
    subscription = row(clinic_a)
    assert subscription.stripe_customer_id == customer
    assert subscription.stripe_subscription_id == session["subscription"]
    assert (subscription.status, subscription.plan) == (Status.ACTIVE, "practice")
    assert account_state(clinic_a.clinic.pk).mode is Mode.FULL
    assert stored_events()[0].clinic_id == clinic_a.clinic.pk
    [entry] = billing_audit(clinic_a, "billing.subscription_update")
    assert entry.detail["status"] == "active"
    assert "stripe_subscription_id" in entry.detail["changed"]
    # The other clinic is untouched.
    assert not Subscription.objects.filter(clinic=clinic_b.clinic).exists()


def test_a_checkout_for_a_clinic_that_does_not_exist_is_stored_and_not_applied(
    clinic_a: Any, stripe_fake: FakeStripe
) -> None:
    customer = stripe_fake.add_customer()
    stripe_fake.customers[customer]["metadata"] = {}
    sub = stripe_fake.put_subscription(customer=customer)
    session = {
        "id": "cs_test_stranger",
        "object": "checkout.session",
        "mode": "subscription",
        "client_reference_id": "00000000-0000-0000-0000-000000000000",
        "customer": customer,
        "subscription": sub["id"],
        "metadata": {},
    }

    response = deliver(stripe_fake.event("checkout.session.completed", session))

    assert response.status_code == 200
    assert response.json()["outcome"].startswith("not applied: no clinic")
    [event] = stored_events()
    assert event.processed_at is None and event.clinic_id is None


def test_subscribing_during_the_trial_keeps_the_rest_of_it(
    clinic_a: Any, stripe_fake: FakeStripe
) -> None:
    trial_ends = row_of_trial(clinic_a)
    owner = member_client(clinic_a, "owner")
    redirect = owner.post("/settings/billing/subscribe", {"plan": "growth"})
    session = stripe_fake.complete_checkout(redirect["Location"].rsplit("/", 1)[1])

    assert deliver(stripe_fake.event("checkout.session.completed", session)).status_code == 200

    subscription = row(clinic_a)
    assert (subscription.status, subscription.plan) == (Status.TRIALING, "growth")
    assert subscription.stripe_subscription_id == session["subscription"]
    assert subscription.trial_ends_at == trial_ends
    assert account_state(clinic_a.clinic.pk).mode is Mode.FULL


def row_of_trial(world: Any) -> Any:
    trial_start(clinic=world.clinic)
    # Stripe keeps whole seconds.
    ends = row(world).trial_ends_at.replace(microsecond=0)  # type: ignore[union-attr]
    Subscription.objects.filter(clinic=world.clinic).update(trial_ends_at=ends)
    return ends
