"""The few Stripe API calls AES-CRM makes, each answering plain data or a BillingError.

The client talks to ``STRIPE_API_BASE`` (tests point it at a local fake) with
short timeouts and a couple of retries (the library adds an idempotency key to
each POST, so a retried create is not made twice).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import stripe
from django.conf import settings
from stripe.params.checkout import SessionCreateParamsSubscriptionData

# Seconds to connect, seconds to wait for an answer.
TIMEOUT = (5.0, 20.0)
MAX_NETWORK_RETRIES = 2


class BillingError(Exception):
    """Stripe could not be asked, or refused; the message says which and why."""


@dataclass(frozen=True)
class SubscriptionSnapshot:
    id: str
    customer: str
    status: str
    price_id: str
    current_period_start: dt.datetime | None
    current_period_end: dt.datetime | None
    cancel_at_period_end: bool
    trial_end: dt.datetime | None
    ended_at: dt.datetime | None
    metadata: dict[str, str]


@dataclass(frozen=True)
class InvoiceSnapshot:
    id: str
    customer: str
    subscription: str
    clinic_id: str  # from the subscription's metadata, when Stripe copied it onto the invoice
    number: str
    status: str
    amount_due: int
    amount_paid: int
    currency: str
    hosted_invoice_url: str
    invoice_pdf: str
    period_start: dt.datetime | None
    period_end: dt.datetime | None
    created: dt.datetime


def configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


def _client() -> stripe.StripeClient:
    if not configured():
        raise BillingError("online payment is not set up (STRIPE_SECRET_KEY is empty)")
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE},
        max_network_retries=MAX_NETWORK_RETRIES,
        http_client=stripe.RequestsClient(timeout=TIMEOUT),
    )


def _failure(exc: stripe.StripeError, doing: str) -> BillingError:
    if isinstance(exc, stripe.APIConnectionError):
        return BillingError(f"Stripe could not be reached while {doing}")
    if isinstance(exc, stripe.AuthenticationError):
        return BillingError(f"Stripe refused the API key while {doing} (check STRIPE_SECRET_KEY)")
    message = exc.user_message or str(exc) or exc.__class__.__name__
    return BillingError(f"Stripe answered {exc.http_status or 'an error'} while {doing}: {message}")


def _missing(exc: stripe.StripeError) -> bool:
    return isinstance(exc, stripe.InvalidRequestError) and exc.code == "resource_missing"


def when(value: Any) -> dt.datetime | None:
    """A Stripe timestamp (seconds since the epoch) as an aware UTC datetime."""
    if value in (None, ""):
        return None
    return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)


def _id(value: Any) -> str:
    """An expandable field's id, whether Stripe sent the id or the object."""
    if isinstance(value, dict):
        return str(value.get("id") or "")
    return str(value or "")


def subscription_from(data: dict[str, Any]) -> SubscriptionSnapshot:
    items = ((data.get("items") or {}).get("data")) or [{}]
    item = items[0] or {}
    # Since API version 2025-03-31 the billing period is on each item; before, on the
    # subscription.
    start = item.get("current_period_start") or data.get("current_period_start")
    end = item.get("current_period_end") or data.get("current_period_end")
    return SubscriptionSnapshot(
        id=str(data["id"]),
        customer=_id(data.get("customer")),
        status=str(data.get("status") or ""),
        price_id=_id(item.get("price") or {}),
        current_period_start=when(start),
        current_period_end=when(end),
        cancel_at_period_end=bool(data.get("cancel_at_period_end")),
        trial_end=when(data.get("trial_end")),
        ended_at=when(data.get("ended_at")),
        metadata={str(k): str(v) for k, v in (data.get("metadata") or {}).items()},
    )


def invoice_from(data: dict[str, Any]) -> InvoiceSnapshot:
    details = ((data.get("parent") or {}).get("subscription_details")) or {}
    # Before API version 2025-03-31 the subscription was a top-level field.
    subscription = _id(details.get("subscription") or data.get("subscription"))
    metadata = details.get("metadata") or {}
    return InvoiceSnapshot(
        id=str(data["id"]),
        customer=_id(data.get("customer")),
        subscription=subscription,
        clinic_id=str(metadata.get("clinic_id") or ""),
        number=str(data.get("number") or ""),
        status=str(data.get("status") or ""),
        amount_due=int(data.get("amount_due") or 0),
        amount_paid=int(data.get("amount_paid") or 0),
        currency=str(data.get("currency") or "gbp"),
        hosted_invoice_url=str(data.get("hosted_invoice_url") or ""),
        invoice_pdf=str(data.get("invoice_pdf") or ""),
        period_start=when(data.get("period_start")),
        period_end=when(data.get("period_end")),
        created=when(data.get("created")) or dt.datetime.now(dt.UTC),
    )


def customer_create(*, name: str, email: str, clinic_id: str) -> str:
    try:
        customer = _client().v1.customers.create(
            params={"name": name, "email": email, "metadata": {"clinic_id": clinic_id}}
        )
    except stripe.StripeError as exc:
        raise _failure(exc, "creating the customer") from exc
    return str(customer.id)


def checkout_session_create(
    *,
    price_id: str,
    customer_id: str,
    clinic_id: str,
    plan_key: str,
    success_url: str,
    cancel_url: str,
    trial_end: dt.datetime | None = None,
) -> str:
    """A Checkout Session for a monthly subscription to ``price_id``; answers its URL.

    ``trial_end``: the first payment waits until then (the rest of a free trial)."""
    metadata = {"clinic_id": clinic_id, "plan": plan_key}
    subscription_data: SessionCreateParamsSubscriptionData = {"metadata": metadata}
    if trial_end is not None:
        subscription_data["trial_end"] = int(trial_end.timestamp())
    try:
        session = _client().v1.checkout.sessions.create(
            params={
                "mode": "subscription",
                "line_items": [{"price": price_id, "quantity": 1}],
                "customer": customer_id,
                "client_reference_id": clinic_id,
                "metadata": metadata,
                # Copied onto the subscription (and its invoices), so an event that
                # arrives before checkout.session.completed still finds the clinic.
                "subscription_data": subscription_data,
                "success_url": success_url,
                "cancel_url": cancel_url,
            }
        )
    except stripe.StripeError as exc:
        raise _failure(exc, "starting the checkout") from exc
    if not session.url:
        raise BillingError("Stripe's checkout session has no URL to send you to")
    return str(session.url)


def portal_session_create(*, customer_id: str, return_url: str) -> str:
    try:
        session = _client().v1.billing_portal.sessions.create(
            params={"customer": customer_id, "return_url": return_url}
        )
    except stripe.StripeError as exc:
        raise _failure(exc, "opening the billing portal") from exc
    return str(session.url)


def subscription_get(subscription_id: str) -> SubscriptionSnapshot | None:
    """The subscription as Stripe holds it now; None if Stripe has no such subscription."""
    try:
        sub = _client().v1.subscriptions.retrieve(subscription_id)
    except stripe.StripeError as exc:
        if _missing(exc):
            return None
        raise _failure(exc, f"reading subscription {subscription_id}") from exc
    return subscription_from(sub.to_dict())


def invoice_get(invoice_id: str) -> InvoiceSnapshot | None:
    try:
        invoice = _client().v1.invoices.retrieve(invoice_id)
    except stripe.StripeError as exc:
        if _missing(exc):
            return None
        raise _failure(exc, f"reading invoice {invoice_id}") from exc
    return invoice_from(invoice.to_dict())


def invoices_list(customer_id: str, *, limit: int = 24) -> list[InvoiceSnapshot]:
    try:
        page = _client().v1.invoices.list(params={"customer": customer_id, "limit": limit})
    except stripe.StripeError as exc:
        raise _failure(exc, "listing invoices") from exc
    return [invoice_from(inv.to_dict()) for inv in page.data]
