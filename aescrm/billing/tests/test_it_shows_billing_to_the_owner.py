"""Settings → Billing: the owner sees plan, status, renewal date (London time), plans with
prices and invoices; a manager sees it without the buttons; a receptionist gets 403;
another clinic's member sees only their own clinic, and A's invoice is a 404 to them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aescrm.billing.models import Invoice, Subscription
from aescrm.billing.services import trial_start
from aescrm.billing.tests.support import visible as text
from aescrm.testing.fakes.stripe import FakeStripe
from aescrm.web.tests.support import member_client

pytestmark = pytest.mark.django_db

# 23:30 UTC on 30 June is already 1 July in London (BST).
RENEWAL = dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC)


def _alpha_billed(clinic_a: Any) -> Invoice:
    trial_start(clinic=clinic_a.clinic)
    Subscription.objects.filter(clinic=clinic_a.clinic).update(
        status="active",
        plan="practice",
        stripe_customer_id="cus_alpha",
        stripe_subscription_id="sub_alpha",
        current_period_end=RENEWAL,
    )
    return Invoice.objects.create(
        clinic=clinic_a.clinic,
        stripe_invoice_id="in_alpha_1",
        number="ALPHA-0001",
        status="paid",
        amount_due=39900,
        amount_paid=39900,
        hosted_invoice_url="https://invoice.stripe.example/i/in_alpha_1",
        created=RENEWAL - dt.timedelta(days=30),
    )


def test_the_owner_sees_plan_status_renewal_plans_and_invoices(
    clinic_a: Any, stripe_fake: FakeStripe
) -> None:
    invoice = _alpha_billed(clinic_a)

    page = text(member_client(clinic_a, "owner").get("/settings/billing"))

    assert "Practice (£399.00 a month)" in page
    assert "Active" in page
    assert "Renews on 1 July 2026" in page
    for plan, price in (("Starter", "£99.00"), ("Growth", "£199.00"), ("Practice", "£399.00")):
        assert plan in page and price in page
    # Already subscribed: plan changes go through Stripe's portal, not a second Checkout.
    assert "Subscribe" not in page
    assert "To change plan, use Manage billing" in page
    assert "Manage billing" in page
    assert "ALPHA-0001" in page and "£399.00" in page
    opened = member_client(clinic_a, "owner").get(f"/settings/billing/invoices/{invoice.pk}")
    assert opened.status_code == 302
    assert opened["Location"] == invoice.hosted_invoice_url


def test_a_manager_sees_it_without_the_buttons_and_a_receptionist_gets_403(
    clinic_a: Any, stripe_fake: FakeStripe
) -> None:
    _alpha_billed(clinic_a)

    manager_page = text(member_client(clinic_a, "manager").get("/settings/billing"))
    receptionist = member_client(clinic_a, "receptionist")

    assert "ALPHA-0001" in manager_page
    assert "Subscribe" not in manager_page and "Manage billing" not in manager_page
    assert receptionist.get("/settings/billing").status_code == 403
    assert receptionist.post("/settings/billing/subscribe", {"plan": "growth"}).status_code == 403
    manager = member_client(clinic_a, "manager")
    assert manager.post("/settings/billing/portal").status_code == 403
    assert stripe_fake.requests == []


def test_another_clinics_member_sees_only_their_own_and_gets_404_for_a_s_invoice(
    clinic_a: Any, clinic_b: Any, stripe_fake: FakeStripe
) -> None:
    invoice = _alpha_billed(clinic_a)
    outsider = member_client(clinic_b, "owner")

    page = text(outsider.get("/settings/billing"))
    opened = outsider.get(f"/settings/billing/invoices/{invoice.pk}")
    portal = outsider.post("/settings/billing/portal")

    assert "ALPHA-0001" not in page and "Practice (£399.00" not in page
    assert "not billed online" in page
    assert opened.status_code == 404
    # B has no Stripe customer: nothing to manage, and A's customer is never used.
    assert portal.status_code == 302
    assert stripe_fake.requests == []


def test_without_a_stripe_key_it_says_online_payment_is_not_set_up(
    clinic_a: Any, settings: Any
) -> None:
    settings.STRIPE_SECRET_KEY = ""

    page = text(member_client(clinic_a, "owner").get("/settings/billing"))

    assert "Online payment isn’t set up" in page
    assert "Subscribe" not in page
