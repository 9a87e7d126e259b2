"""Subscribe creates a Stripe customer (once) and a Checkout Session for the plan's price,
naming the clinic, and 303s to it; Manage billing 303s to a billing portal session."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.billing.services import trial_start
from aescrm.billing.tests.support import billing_audit, row, subscribed, visible
from aescrm.testing.fakes.stripe import FakeStripe, params
from aescrm.web.tests.support import member_client

pytestmark = pytest.mark.django_db


def test_subscribe_redirects_to_checkout_with_price_customer_and_clinic(
    clinic_a: Any, stripe_fake: FakeStripe
) -> None:
    trial_start(clinic=clinic_a.clinic)
    trial_end = int(row(clinic_a).trial_ends_at.timestamp())  # type: ignore[union-attr]
    owner = member_client(clinic_a, "owner")

    first = owner.post("/settings/billing/subscribe", {"plan": "starter"})
    second = owner.post("/settings/billing/subscribe", {"plan": "practice"})

    [customer_call] = stripe_fake.calls("POST", "/v1/customers")
    customer = params(customer_call)
    assert customer["name"] == "Alpha Dental"
    assert customer["email"] == "owner@alpha.test"
    assert customer["metadata"] == {"clinic_id": str(clinic_a.clinic.pk)}
    customer_id = row(clinic_a).stripe_customer_id
    assert customer_id in stripe_fake.customers

    sessions = [params(r) for r in stripe_fake.calls("POST", "/v1/checkout/sessions")]
    assert [s["line_items"][0]["price"] for s in sessions] == ["price_starter", "price_practice"]
    for session in sessions:
        assert session["mode"] == "subscription"
        assert session["customer"] == customer_id
        assert session["client_reference_id"] == str(clinic_a.clinic.pk)
        assert session["subscription_data"]["metadata"]["clinic_id"] == str(clinic_a.clinic.pk)
        # Paying during the free trial keeps the rest of it: the first charge waits.
        assert session["subscription_data"]["trial_end"] == str(trial_end)
        assert session["success_url"] == "https://crm.example/settings/billing?checkout=done"
        assert session["cancel_url"] == "https://crm.example/settings/billing?checkout=cancelled"
    opened = list(stripe_fake.checkout_sessions.values())
    assert (first.status_code, first["Location"]) == (303, opened[0]["url"])
    assert (second.status_code, second["Location"]) == (303, opened[1]["url"])
    assert first["Location"].startswith(stripe_fake.origin)
    actions = [e.action for e in billing_audit(clinic_a)]
    assert actions.count("billing.customer_create") == 1
    assert actions.count("billing.checkout_start") == 2


def test_manage_billing_redirects_to_the_portal_for_the_clinics_customer(
    clinic_a: Any, stripe_fake: FakeStripe
) -> None:
    trial_start(clinic=clinic_a.clinic)
    owner = member_client(clinic_a, "owner")
    owner.post("/settings/billing/subscribe", {"plan": "growth"})

    response = owner.post("/settings/billing/portal")

    [call] = stripe_fake.calls("POST", "/v1/billing_portal/sessions")
    assert params(call) == {
        "customer": row(clinic_a).stripe_customer_id,
        "return_url": "https://crm.example/settings/billing",
    }
    [session] = stripe_fake.portal_sessions.values()
    assert (response.status_code, response["Location"]) == (303, session["url"])


def test_an_unknown_plan_or_stripe_being_down_is_explained_on_the_page(
    clinic_a: Any, stripe_fake: FakeStripe
) -> None:
    owner = member_client(clinic_a, "owner")

    unknown = owner.post("/settings/billing/subscribe", {"plan": "platinum"}, follow=True)
    assert "Could not start the payment: choose one of the plans listed." in visible(unknown)

    stripe_fake.fail_next = [500, 500, 500]
    down = owner.post("/settings/billing/subscribe", {"plan": "growth"}, follow=True)
    assert "Could not start the payment: Stripe answered 500" in visible(down)
    assert stripe_fake.checkout_sessions == {}


def test_a_clinic_with_a_live_subscription_is_not_sent_to_a_second_checkout(
    clinic_a: Any, stripe_fake: FakeStripe
) -> None:
    subscribed(clinic_a, stripe_fake)
    owner = member_client(clinic_a, "owner")

    page = visible(owner.get("/settings/billing"))
    refused = owner.post("/settings/billing/subscribe", {"plan": "practice"}, follow=True)

    assert "Subscribe to" not in page
    assert "already has a subscription; change the plan with Manage billing" in visible(refused)
    assert stripe_fake.calls("POST", "/v1/checkout/sessions") == []
