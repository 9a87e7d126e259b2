"""Taking one verified Stripe event: fetch the current state, then store and apply it once.

1. An event id already stored changes nothing ("duplicate").
2. For a subscription, invoice or checkout event, the subscription (and
   invoice) are read from Stripe now — outside any transaction, because the
   network is slow. If Stripe cannot be reached, ``BillingError`` propagates:
   the webhook answers 5xx, nothing is stored, and Stripe delivers it again.
3. One transaction inserts the event row (its unique id decides between two
   deliveries at once: the loser's insert fails and it does nothing) and
   applies the change, so an event is never stored without its effect or
   applied without being stored.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from aescrm.accounts.models import Clinic
from aescrm.billing import stripe_api, sync
from aescrm.billing.models import StripeEvent
from aescrm.billing.stripe_api import InvoiceSnapshot, SubscriptionSnapshot
from aescrm.core.tenancy import clinic_scope

logger = logging.getLogger(__name__)

SUBSCRIPTION_EVENTS = {
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "customer.subscription.paused",
    "customer.subscription.resumed",
    "customer.subscription.pending_update_applied",
    "customer.subscription.pending_update_expired",
    "customer.subscription.trial_will_end",
}
INVOICE_EVENTS = {
    "invoice.paid",
    "invoice.payment_failed",
    "invoice.payment_succeeded",
    "invoice.finalized",
    "invoice.updated",
    "invoice.voided",
    "invoice.marked_uncollectible",
}
CHECKOUT_COMPLETED = "checkout.session.completed"


@dataclass(frozen=True)
class Event:
    id: str
    type: str
    created: dt.datetime
    object: dict[str, Any]

    @classmethod
    def parse(cls, data: Any) -> Event:
        """An event from its JSON; ValueError naming what is missing."""
        if not isinstance(data, dict) or data.get("object") != "event":
            raise ValueError("the body is not a Stripe event (object must be 'event')")
        event_id, type_ = data.get("id"), data.get("type")
        if not isinstance(event_id, str) or not event_id:
            raise ValueError("the event has no id")
        if not isinstance(type_, str) or not type_:
            raise ValueError("the event has no type")
        obj = (data.get("data") or {}).get("object") if isinstance(data.get("data"), dict) else None
        if not isinstance(obj, dict):
            raise ValueError("the event has no data.object")
        created = stripe_api.when(data.get("created")) or timezone.now()
        return cls(id=event_id, type=type_, created=created, object=obj)


@dataclass
class Fetched:
    """What Stripe says now about the objects an event concerns."""

    subscription: SubscriptionSnapshot | None = None
    invoice: InvoiceSnapshot | None = None
    customer_id: str = ""
    # Clinic ids our own Checkout put on the objects, strongest first.
    claimed: tuple[str, ...] = ()
    # Why there is nothing to apply, when there is not.
    note: str = ""


def _str(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("id") or "")
    return str(value or "")


def _from_payload(event: Event) -> Fetched:
    """Without an API key nothing can be read back from Stripe: decide from the event's own
    snapshot. ``receive`` then refuses a snapshot older than one already applied, and an
    ended subscription stays ended (sync), so the order of arrival still cannot undo a
    cancellation."""
    obj = event.object
    if (event.type in SUBSCRIPTION_EVENTS or event.type in INVOICE_EVENTS) and not obj.get("id"):
        return Fetched(note="not applied: the event's object has no id")
    if event.type in SUBSCRIPTION_EVENTS:
        snap = stripe_api.subscription_from(obj)
        return Fetched(
            subscription=snap,
            customer_id=snap.customer,
            claimed=(snap.metadata.get("clinic_id", ""),),
        )
    if event.type in INVOICE_EVENTS:
        invoice = stripe_api.invoice_from(obj)
        return Fetched(invoice=invoice, customer_id=invoice.customer, claimed=(invoice.clinic_id,))
    if event.type == CHECKOUT_COMPLETED:
        return Fetched(note="not applied: Stripe's API is not configured to read the subscription")
    return Fetched(note="ignored: AES-CRM does not act on this event type")


def _stale(event: Event, clinic_id: uuid.UUID) -> bool:
    """An event older than one already applied to the clinic (payload mode only)."""
    return (
        StripeEvent.objects.filter(
            clinic_id=clinic_id, processed_at__isnull=False, created__gt=event.created
        )
        .exclude(event_id=event.id)
        .exists()
    )


def _fetch(event: Event) -> Fetched:
    if not stripe_api.configured():
        return _from_payload(event)
    obj = event.object
    if event.type == CHECKOUT_COMPLETED:
        if obj.get("mode") != "subscription":
            return Fetched(note="ignored: not a subscription checkout")
        subscription_id = _str(obj.get("subscription"))
        snap = stripe_api.subscription_get(subscription_id) if subscription_id else None
        metadata = obj.get("metadata") or {}
        return Fetched(
            subscription=snap,
            customer_id=_str(obj.get("customer")),
            claimed=(str(obj.get("client_reference_id") or ""), str(metadata.get("clinic_id", ""))),
            note="" if snap else f"Stripe has no subscription {subscription_id!r}",
        )
    if event.type in SUBSCRIPTION_EVENTS:
        subscription_id = _str(obj.get("id"))
        snap = stripe_api.subscription_get(subscription_id)
        if snap is None and obj.get("status") == "canceled":
            # Gone from Stripe, and the payload says cancelled: cancelled is final, so the
            # payload cannot be stale.
            snap = stripe_api.subscription_from(obj)
        if snap is None:
            return Fetched(note=f"Stripe has no subscription {subscription_id!r}")
        return Fetched(
            subscription=snap,
            customer_id=snap.customer,
            claimed=(snap.metadata.get("clinic_id", ""),),
        )
    if event.type in INVOICE_EVENTS:
        invoice_id = _str(obj.get("id"))
        invoice = stripe_api.invoice_get(invoice_id)
        if invoice is None:
            return Fetched(note=f"Stripe has no invoice {invoice_id!r}")
        snap = stripe_api.subscription_get(invoice.subscription) if invoice.subscription else None
        return Fetched(
            subscription=snap,
            invoice=invoice,
            customer_id=invoice.customer,
            claimed=(invoice.clinic_id, snap.metadata.get("clinic_id", "") if snap else ""),
        )
    return Fetched(note="ignored: AES-CRM does not act on this event type")


def _apply(event: Event, fetched: Fetched, clinic_id: uuid.UUID) -> str:
    clinic = Clinic.objects.get(pk=clinic_id)
    with clinic_scope(clinic_id):
        row = sync.locked_subscription(clinic)
        outcomes = []
        if fetched.invoice is not None:
            result = sync.record_invoice(clinic=clinic, snap=fetched.invoice, event_id=event.id)
            outcomes.append(f"invoice {result}")
        if fetched.subscription is not None:
            result = sync.apply_subscription(
                row=row,
                snap=fetched.subscription,
                customer_id=fetched.customer_id,
                event_id=event.id,
                event_type=event.type,
            )
            outcomes.append(f"subscription {result}")
    return "; ".join(outcomes) or "applied"


class _Duplicate(Exception):
    pass


def receive(event: Event) -> str:
    """Store and apply ``event`` once; answers what came of it (stored on the event row)."""
    if StripeEvent.objects.filter(event_id=event.id).exists():
        return "duplicate"
    fetched = _fetch(event)  # may raise BillingError: nothing stored, Stripe retries
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    row = StripeEvent.objects.create(
                        event_id=event.id,
                        type=event.type,
                        created=event.created,
                        received_at=timezone.now(),
                    )
            except IntegrityError as exc:
                raise _Duplicate from exc
            clinic_id = None
            if fetched.note:
                outcome = fetched.note
            else:
                clinic_id = sync.clinic_id_of(
                    subscription_id=fetched.subscription.id if fetched.subscription else "",
                    customer_id=fetched.customer_id,
                    claimed=fetched.claimed,
                )
                if clinic_id is None:
                    outcome = "not applied: no clinic has this customer or subscription"
                elif not stripe_api.configured() and _stale(event, clinic_id):
                    outcome = "not applied: older than an event already applied"
                else:
                    outcome = _apply(event, fetched, clinic_id)
                    row.processed_at = timezone.now()
            row.outcome = outcome[:200]
            row.clinic_id = clinic_id
            row.save(update_fields=["outcome", "clinic", "processed_at"])
    except _Duplicate:
        return "duplicate"
    if "not applied" in outcome:
        logger.warning("Stripe event %s (%s) %s", event.id, event.type, outcome)
    return outcome
