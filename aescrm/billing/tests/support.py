"""Helpers for the billing tests: signed deliveries, and clinics Stripe already knows."""

from __future__ import annotations

import datetime as dt
import html
import re
import time
from typing import Any

from django.test import Client

from aescrm.audit.models import AuditEntry
from aescrm.billing.models import StripeEvent, Subscription
from aescrm.billing.services import trial_start
from aescrm.core.tenancy import clinic_scope
from aescrm.testing.fakes.stripe import FakeStripe, sign
from aescrm.testing.fixtures import ClinicWorld

WEBHOOK = "/webhooks/stripe"


def deliver(
    event: dict[str, Any] | str,
    *,
    timestamp: int | None = None,
    secret: str | None = None,
    client: Client | None = None,
) -> Any:
    """POST the event to the webhook as Stripe does, signed with the library's scheme."""
    kwargs: dict[str, Any] = {"timestamp": timestamp}
    if secret is not None:
        kwargs["secret"] = secret
    body, header = sign(event, **kwargs)
    return (client or Client()).post(
        WEBHOOK, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )


def post_raw(body: str, **headers: Any) -> Any:
    return Client().post(WEBHOOK, data=body, content_type="application/json", **headers)


def subscribed(
    world: ClinicWorld, fake: FakeStripe, *, status: str = "active", price: str = "price_growth"
) -> dict[str, Any]:
    """``world`` on a Stripe subscription our records already know (as after a checkout)."""
    trial_start(clinic=world.clinic)
    customer = fake.add_customer()
    sub = fake.put_subscription(
        customer=customer, price=price, status=status, metadata={"clinic_id": str(world.clinic.pk)}
    )
    Subscription.objects.filter(clinic=world.clinic).update(
        stripe_customer_id=customer, stripe_subscription_id=sub["id"], status=status
    )
    return sub


def row(world: ClinicWorld) -> Subscription:
    return Subscription.objects.get(clinic=world.clinic)


def billing_audit(world: ClinicWorld, action: str = "billing.") -> list[AuditEntry]:
    with clinic_scope(world.clinic.pk):
        return list(AuditEntry.objects.filter(action__startswith=action).order_by("occurred_at"))


def stored_events() -> list[StripeEvent]:
    return list(StripeEvent.objects.order_by("received_at"))


def now() -> int:
    return int(time.time())


def visible(response: Any) -> str:
    """The page's text as a reader sees it: tags dropped, spaces collapsed."""
    raw = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(raw).split()).replace(" .", ".")


def subscribe(world: ClinicWorld, status: str, **fields: Any) -> Subscription:
    """The clinic's subscription row, created or changed, as a Stripe webhook would leave it."""
    found, _ = Subscription.objects.update_or_create(
        clinic=world.clinic, defaults={"plan": "growth", "status": status, **fields}
    )
    return found


def overdue_for(world: ClinicWorld, days: int, at: dt.datetime | None = None) -> Subscription:
    """Payment overdue since ``days`` ago (the grace period is 14 days)."""
    from django.utils import timezone

    since = (at or timezone.now()) - dt.timedelta(days=days)
    return subscribe(world, "past_due", payment_overdue_since=since)
