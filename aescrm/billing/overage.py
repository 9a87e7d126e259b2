"""Overage to Stripe: what a clinic sent past its limits, as billing meter events (0033).

A clinic that allows overage keeps sending past a limit; ``usage.increment``
adds the units beyond it to ``UsageCounter.overage``. ``report_overage`` (a
periodic task) sends each counter's unreported units as one meter event
(``POST /v1/billing/meter_events``) for the clinic's Stripe customer, on the
meter named by ``STRIPE_METER_<METRIC>``; the Stripe price attached to that
meter turns it into a line on the next invoice.

Exactly once: before the call the chunk's end is written to
``overage_sending`` and committed; the event's ``identifier`` names the
counter and the chunk (``from``–``to``), so a run that dies after Stripe took
it resends the same chunk under the same identifier, which Stripe ignores
as a duplicate; ``overage_reported`` then moves to the chunk's end.
"""

from __future__ import annotations

import datetime as dt
import logging

import stripe
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from aescrm.billing.models import Subscription, UsageCounter

logger = logging.getLogger(__name__)

METERS = {
    "sms_segments": "STRIPE_METER_SMS_SEGMENTS",
    "emails": "STRIPE_METER_EMAILS",
    "chat_conversations": "STRIPE_METER_CHAT_CONVERSATIONS",
}


def meter_event_name(metric: str) -> str:
    return str(getattr(settings, METERS[metric]))


def _client() -> stripe.StripeClient:
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE},
        # Our own next run retries, with the same identifier (a chunk is never re-cut).
        max_network_retries=0,
    )


def identifier(counter: UsageCounter, start: int, end: int) -> str:
    """Stripe's duplicate check: one counter's overage units ``start`` (exclusive) to ``end``."""
    return f"aescrm-usage-{counter.pk}-{start}-{end}"


def _claim_chunk(counter_id: int) -> UsageCounter | None:
    """Fix the chunk to send: the one already being sent, or everything unreported now."""
    with transaction.atomic():
        counter = UsageCounter.objects.select_for_update().filter(pk=counter_id).first()
        if counter is None or counter.overage <= counter.overage_reported:
            return None
        if counter.overage_sending <= counter.overage_reported:
            counter.overage_sending = counter.overage
            counter.save(update_fields=["overage_sending", "updated_at"])
    return counter


def report_counter(counter_id: int, *, now: dt.datetime | None = None) -> int:
    """Send one counter's unreported overage to Stripe; the units reported (0: nothing to do).

    Raises ``stripe.StripeError`` if Stripe refuses or cannot be reached: the
    chunk stays pending and the next run sends it again under the same identifier.
    """
    now = now or timezone.now()
    counter = _claim_chunk(counter_id)
    if counter is None:
        return 0
    customer = (
        Subscription.objects.filter(clinic_id=counter.clinic_id)
        .values_list("stripe_customer_id", flat=True)
        .first()
    )
    if not customer:
        logger.warning(
            "overage for clinic %s not reported: the clinic has no Stripe customer",
            counter.clinic_id,
        )
        return 0
    start, end = counter.overage_reported, counter.overage_sending
    _client().v1.billing.meter_events.create(
        {
            "event_name": meter_event_name(counter.metric),
            "identifier": identifier(counter, start, end),
            "payload": {"stripe_customer_id": customer, "value": str(end - start)},
            "timestamp": int(now.timestamp()),
        }
    )
    UsageCounter.objects.filter(pk=counter.pk, overage_reported=start).update(
        overage_reported=end, updated_at=now
    )
    logger.info(
        "reported %s %s of overage for clinic %s", end - start, counter.metric, counter.clinic_id
    )
    return end - start


def report_overage(*, now: dt.datetime | None = None) -> int:
    """Report every counter's unreported overage; the units reported. One failure does not
    stop the others (it is retried next run)."""
    if not settings.STRIPE_SECRET_KEY:
        return 0
    pending = UsageCounter.objects.filter(overage__gt=F("overage_reported")).values_list(
        "pk", flat=True
    )
    total = 0
    for counter_id in list(pending):
        try:
            total += report_counter(counter_id, now=now)
        except stripe.StripeError:
            logger.exception("reporting overage of usage counter %s to Stripe failed", counter_id)
    return total
