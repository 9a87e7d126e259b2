"""invoice.paid and invoice.payment_failed store the invoice as Stripe holds it; a failed
payment puts the clinic into grace from the first failure, and a payment ends it."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.billing.models import Invoice, Status
from aescrm.billing.state import Mode, account_state
from aescrm.billing.tests.support import billing_audit, deliver, row, subscribed
from aescrm.testing.fakes.stripe import FakeStripe

pytestmark = pytest.mark.django_db


def test_a_paid_invoice_is_stored(clinic_a: Any, stripe_fake: FakeStripe) -> None:
    sub = subscribed(clinic_a, stripe_fake)
    invoice = stripe_fake.put_invoice(subscription=sub, status="paid")

    assert deliver(stripe_fake.event("invoice.paid", invoice)).status_code == 200

    stored = Invoice.objects.get(stripe_invoice_id=invoice["id"])
    assert stored.clinic_id == clinic_a.clinic.pk
    assert (stored.number, stored.status, stored.amount_due, stored.amount_paid) == (
        invoice["number"],
        "paid",
        19900,
        19900,
    )
    assert stored.currency == "gbp"
    assert stored.hosted_invoice_url == invoice["hosted_invoice_url"]
    assert stored.invoice_pdf == invoice["invoice_pdf"]
    assert stored.period_start is not None and stored.period_end is not None
    assert [e.detail["stripe_invoice_id"] for e in billing_audit(clinic_a, "billing.invoice")] == [
        invoice["id"]
    ]


def test_failed_payments_start_grace_once_and_payment_ends_it(
    clinic_a: Any, stripe_fake: FakeStripe
) -> None:
    sub = subscribed(clinic_a, stripe_fake)
    invoice = stripe_fake.put_invoice(subscription=sub, status="open")
    stripe_fake.update_subscription(sub["id"], status="past_due")

    assert deliver(stripe_fake.event("invoice.payment_failed", invoice)).status_code == 200
    first = row(clinic_a)
    assert first.status == Status.PAST_DUE
    assert first.payment_overdue_since is not None
    state = account_state(clinic_a.clinic.pk)
    assert state.mode is Mode.GRACE and "payment is overdue" in (state.message or "")
    stored = Invoice.objects.get(stripe_invoice_id=invoice["id"])
    assert (stored.status, stored.amount_paid) == ("open", 0)

    # Stripe retries the card and fails again: the grace period does not restart.
    stripe_fake.invoices[invoice["id"]]["attempt_count"] = 2
    assert deliver(stripe_fake.event("invoice.payment_failed", invoice)).status_code == 200
    assert row(clinic_a).payment_overdue_since == first.payment_overdue_since

    # Then the card works.
    stripe_fake.invoices[invoice["id"]].update(status="paid", amount_paid=19900)
    stripe_fake.update_subscription(sub["id"], status="active")
    assert deliver(stripe_fake.event("invoice.paid", invoice)).status_code == 200

    paid = row(clinic_a)
    assert (paid.status, paid.payment_overdue_since) == (Status.ACTIVE, None)
    assert account_state(clinic_a.clinic.pk).mode is Mode.FULL
    assert Invoice.objects.get(stripe_invoice_id=invoice["id"]).status == "paid"
    assert Invoice.objects.count() == 1
