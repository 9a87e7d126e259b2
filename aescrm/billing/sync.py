"""Applying Stripe's current state of a subscription or invoice to a clinic's records.

Webhook events arrive late, twice and out of order, so an event is only a
prompt: what is applied is the object as Stripe holds it now (fetched by
``aescrm.billing.events``), with one rule on top — a cancelled subscription
is final for its id (Stripe never reactivates one), so nothing about that id
can un-cancel the clinic; a new subscription id (a new Checkout) replaces an
ended one and restores the service. See docs/decisions/0031.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from aescrm.accounts.models import Clinic
from aescrm.audit.services import audit_record
from aescrm.billing.models import Invoice, Status, Subscription
from aescrm.billing.plans import catalogue
from aescrm.billing.state import OVERDUE
from aescrm.billing.stripe_api import InvoiceSnapshot, SubscriptionSnapshot
from aescrm.core.locks import lock_until_commit

# Statuses a subscription never leaves (Stripe makes a new subscription instead).
TERMINAL = {Status.CANCELED, Status.INCOMPLETE_EXPIRED}
IN_GOOD_STANDING = {Status.ACTIVE, Status.TRIALING}
FIELDS = (
    "stripe_customer_id",
    "stripe_subscription_id",
    "plan",
    "status",
    "current_period_start",
    "current_period_end",
    "cancel_at_period_end",
    "trial_ends_at",
    "payment_overdue_since",
    "ended_at",
)


def clinic_id_of(
    *,
    subscription_id: str = "",
    customer_id: str = "",
    claimed: tuple[str, ...] = (),
) -> uuid.UUID | None:
    """Whose event this is: the clinic on this subscription or customer, else the clinic
    our own Checkout named (client_reference_id, or metadata Stripe copied along)."""
    if subscription_id:
        row = Subscription.objects.filter(stripe_subscription_id=subscription_id).first()
        if row:
            return row.clinic_id
    if customer_id:
        row = Subscription.objects.filter(stripe_customer_id=customer_id).first()
        if row:
            return row.clinic_id
    for value in claimed:
        try:
            clinic_id = uuid.UUID(str(value))
        except ValueError:
            continue
        if Clinic.objects.filter(pk=clinic_id).exists():
            return clinic_id
    return None


def locked_subscription(clinic: Clinic) -> Subscription:
    """The clinic's subscription row, locked until commit (a new one, unsaved, if none)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("locked_subscription needs a transaction")
    lock_until_commit(f"billing-subscription:{clinic.pk}")
    row = Subscription.objects.select_for_update().filter(clinic=clinic).first()
    if row is None:
        # A clinic that was not billed until now (no trial row): start from nothing.
        row = Subscription(clinic=clinic, plan=catalogue().default.key, status=Status.TRIALING)
    return row


def link_customer(row: Subscription, customer_id: str) -> None:
    """Remember the clinic's Stripe customer, unless it already has one or another clinic does."""
    if not customer_id or row.stripe_customer_id:
        return
    taken = (
        Subscription.objects.filter(stripe_customer_id=customer_id)
        .exclude(clinic_id=row.clinic_id)
        .exists()
    )
    if not taken:
        row.stripe_customer_id = customer_id


def _decision(row: Subscription, snap: SubscriptionSnapshot) -> str | None:
    """None to apply ``snap`` to ``row``; otherwise why it is not applied."""
    current = row.stripe_subscription_id
    if snap.status not in Status.values:
        return f"unknown subscription status {snap.status!r}"
    if snap.id == current:
        if row.status in TERMINAL:
            return f"subscription {current} has ended; an ended subscription never comes back"
        return None
    if not current:
        return None
    if snap.status in TERMINAL:
        return f"{snap.id} is an earlier subscription; the clinic is now on {current}"
    if row.status in TERMINAL:
        return None  # a new subscription after the old one ended: reactivation
    taken_by_other = (
        Subscription.objects.filter(stripe_subscription_id=snap.id)
        .exclude(clinic_id=row.clinic_id)
        .exists()
    )
    if taken_by_other:
        return f"{snap.id} belongs to another clinic"
    return f"the clinic already has a live subscription, {current}"


def _snapshot(row: Subscription) -> dict[str, Any]:
    return {name: getattr(row, name) for name in FIELDS}


def apply_subscription(
    *,
    row: Subscription,
    snap: SubscriptionSnapshot,
    event_id: str,
    event_type: str,
    customer_id: str = "",
) -> str:
    """Make ``row`` say what Stripe says of ``snap`` now; audited. Answers the outcome."""
    from aescrm.retention.services import clinic_reactivate, clinic_terminate

    refused = _decision(row, snap)
    if refused:
        return f"not applied: {refused}"
    before = _snapshot(row) if not row._state.adding else {}
    clinic = row.clinic
    now = timezone.now()
    link_customer(row, customer_id or snap.customer)
    row.stripe_subscription_id = snap.id
    status = Status(snap.status)
    row.status = status
    plan = catalogue().by_price(snap.price_id) if snap.price_id else None
    if plan is not None:
        row.plan = plan.key
    row.current_period_start = snap.current_period_start
    row.current_period_end = snap.current_period_end
    row.cancel_at_period_end = snap.cancel_at_period_end
    if snap.trial_end:
        row.trial_ends_at = snap.trial_end
    if status in OVERDUE:
        # Once, when payment first becomes overdue: the grace period runs from here.
        row.payment_overdue_since = row.payment_overdue_since or now
    elif status in IN_GOOD_STANDING:
        row.payment_overdue_since = None
    if status in TERMINAL:
        row.ended_at = row.ended_at or snap.ended_at or now
    elif status is not Status.PAUSED:
        row.ended_at = None
    row.save()
    changed = [name for name in FIELDS if before.get(name) != getattr(row, name)]
    if changed:
        audit_record(
            "billing.subscription_update",
            object_type="clinic",
            object_id=clinic.pk,
            clinic_id=clinic.pk,
            detail={
                "event": event_id,
                "event_type": event_type,
                "stripe_subscription_id": snap.id,
                "status": row.status,
                "plan": row.plan,
                "changed": changed,
                **({"unknown_price": snap.price_id} if snap.price_id and plan is None else {}),
            },
        )
    if {"plan", "current_period_start"} & set(changed):
        # A new plan or a new period: messages held at the old limit are judged again now.
        from aescrm.messaging.services import release_held

        release_held(clinic.pk)
    if status is Status.CANCELED:
        clinic_terminate(clinic=clinic)
    elif status in IN_GOOD_STANDING and clinic.terminated_at is not None:
        clinic_reactivate(clinic=clinic)
    return "applied" if changed else "no change"


def record_invoice(*, clinic: Clinic, snap: InvoiceSnapshot, event_id: str) -> str:
    """Store the invoice as Stripe holds it now (one row per Stripe invoice); audited."""
    existing = Invoice.objects.filter(stripe_invoice_id=snap.id).first()
    if existing is not None and existing.clinic_id != clinic.pk:
        return f"not applied: invoice {snap.id} belongs to another clinic"
    values = {
        "number": snap.number,
        "status": snap.status,
        "amount_due": snap.amount_due,
        "amount_paid": snap.amount_paid,
        "currency": snap.currency,
        "hosted_invoice_url": snap.hosted_invoice_url,
        "invoice_pdf": snap.invoice_pdf,
        "period_start": snap.period_start,
        "period_end": snap.period_end,
        "created": snap.created,
    }
    invoice = existing or Invoice(clinic=clinic, stripe_invoice_id=snap.id)
    changed = [name for name, value in values.items() if getattr(invoice, name, None) != value]
    if existing is not None and not changed:
        return "no change"
    for name, value in values.items():
        setattr(invoice, name, value)
    invoice.save()
    audit_record(
        "billing.invoice_record",
        object_type="invoice",
        object_id=invoice.pk,
        clinic_id=clinic.pk,
        detail={
            "event": event_id,
            "stripe_invoice_id": snap.id,
            "number": snap.number,
            "status": snap.status,
            "amount_due": snap.amount_due,
            "amount_paid": snap.amount_paid,
            "changed": changed if existing is not None else ["created"],
        },
    )
    return "applied"
