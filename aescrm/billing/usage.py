"""Counting what a clinic uses per billing period, and reading it back (docs/decisions/0033).

- SMS segments and emails are counted once per outbound message, when the
  provider accepts it (``count_message_accepted``, called wherever a message is
  recorded as sent: the worker, and the Twilio/Postmark webhooks that reconcile
  a crashed attempt). ``Message.usage_counted`` is flipped by a conditional
  update in the same transaction, so a retried or reconciled send counts once.
- Chatbot conversations are counted when a website chat session opens
  (``aescrm.assistant.chat``), in the transaction that creates it.
- Seats are the clinic's memberships, counted live.

The period is the subscription's current period; a clinic without one (not
billed, or between a period's end and Stripe's renewal) counts by calendar
month in Europe/London. A clinic without a subscription row is counted but has
no limits.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from aescrm.accounts.models import Clinic, Membership
from aescrm.billing.models import Metric, Status, Subscription, UsageCounter
from aescrm.billing.plans import Plan, catalogue

LONDON = zoneinfo.ZoneInfo("Europe/London")
SEATS = "seats"
# How each metric reads in a sentence: (the thing limited, its unit).
WORDING = {
    Metric.SMS_SEGMENTS: ("SMS", "segments"),
    Metric.EMAILS: ("email", "emails"),
    Metric.CHAT_CONVERSATIONS: ("chatbot", "conversations"),
    SEATS: ("seat", "seats"),
}
LABELS = {**{m.value: m.label for m in Metric}, SEATS: "Seats (team members)"}


@dataclass(frozen=True)
class Period:
    start: dt.datetime
    end: dt.datetime


def calendar_month(now: dt.datetime) -> Period:
    """The calendar month in Europe/London holding ``now``, as UTC instants."""
    local = now.astimezone(LONDON)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    following = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    # Rebuild from wall-clock values so a month starting in BST gets the BST offset.
    start = dt.datetime(start.year, start.month, 1, tzinfo=LONDON)
    end = dt.datetime(following.year, following.month, 1, tzinfo=LONDON)
    return Period(start.astimezone(dt.UTC), end.astimezone(dt.UTC))


@dataclass(frozen=True)
class Terms:
    """What applies to a clinic at one moment: its plan (None: not billed), period, overage."""

    plan: Plan | None
    period: Period
    allow_overage: bool = False
    trialing: bool = False
    stripe_customer_id: str = ""

    def limit(self, metric: str) -> int:
        """The plan's limit for ``metric``; 0 is no limit (and a clinic not billed has none)."""
        return self.plan.limit(metric) if self.plan is not None else 0


def period_of(subscription: Subscription | None, now: dt.datetime) -> Period:
    if subscription is not None:
        start, end = subscription.current_period_start, subscription.current_period_end
        if start is not None and end is not None and start <= now < end:
            return Period(start, end)
    return calendar_month(now)


def _plan(key: str) -> Plan:
    plans = catalogue()
    # A plan since taken out of the configuration: the default plan's limits.
    return plans.plans.get(key) or plans.default


def terms_for(clinic_id: uuid.UUID | str, now: dt.datetime | None = None) -> Terms:
    now = now or timezone.now()
    subscription = Subscription.objects.filter(clinic_id=clinic_id).first()
    if subscription is None:
        return Terms(plan=None, period=calendar_month(now))
    return Terms(
        plan=_plan(subscription.plan),
        period=period_of(subscription, now),
        allow_overage=subscription.allow_overage,
        trialing=subscription.status == Status.TRIALING,
        stripe_customer_id=subscription.stripe_customer_id,
    )


def used(clinic_id: uuid.UUID | str, metric: str, period: Period) -> int:
    if metric == SEATS:
        return seats_used(clinic_id)
    found = (
        UsageCounter.objects.filter(clinic_id=clinic_id, metric=metric, period_start=period.start)
        .values_list("count", flat=True)
        .first()
    )
    return int(found or 0)


def seats_used(clinic_id: uuid.UUID | str) -> int:
    return Membership.objects.filter(clinic_id=clinic_id).count()


def increment(
    clinic_id: uuid.UUID | str, metric: str, n: int = 1, *, now: dt.datetime | None = None
) -> int:
    """Add ``n`` to this period's counter; the new count. Safe under concurrency.

    ``UPDATE … SET count = count + n`` never loses a concurrent increment; the
    first count of a period inserts the row, and an insert racing another
    (the unique constraint refuses the second) falls back to the update.
    """
    if metric not in Metric.values:
        raise ValueError(f"{metric!r} is not counted; metrics are {', '.join(Metric.values)}")
    if n <= 0:
        return 0
    now = now or timezone.now()
    terms = terms_for(clinic_id, now)
    key = {"clinic_id": clinic_id, "metric": metric, "period_start": terms.period.start}
    rows = UsageCounter.objects.filter(**key)
    with transaction.atomic():
        if not rows.update(count=F("count") + n, updated_at=now):
            try:
                with transaction.atomic():
                    UsageCounter.objects.create(
                        **key, period_end=terms.period.end, count=n, updated_at=now
                    )
            except IntegrityError:
                rows.update(count=F("count") + n, updated_at=now)
        count = int(rows.values_list("count", flat=True).get())
        limit = terms.limit(metric)
        if limit and count >= limit:
            rows.filter(limit_reached_at__isnull=True).update(limit_reached_at=now)
            # Only what went past the limit while the owner allowed it is billed.
            beyond = max(0, count - limit) - max(0, count - n - limit)
            if beyond and terms.allow_overage:
                rows.update(overage=F("overage") + beyond)
    return count


def count_message_accepted(message: object, *, now: dt.datetime | None = None) -> bool:
    """Count an outbound SMS's segments, or an email, the first time its provider took it.

    Call inside the transaction that records it as sent. True if it was counted
    now; False if it had been already (a retried or reconciled send) or is not
    counted (inbound, calls, chat).
    """
    from aescrm.messaging.models import Channel, Direction, Message

    assert isinstance(message, Message)
    if message.direction != Direction.OUTBOUND:
        return False
    if message.channel == Channel.SMS:
        metric, n = Metric.SMS_SEGMENTS, max(message.segments, 1)
    elif message.channel == Channel.EMAIL:
        metric, n = Metric.EMAILS, 1
    else:
        return False
    with transaction.atomic():
        first = Message.objects.filter(pk=message.pk, usage_counted=False).update(
            usage_counted=True
        )
        if not first:
            return False
        message.usage_counted = True
        increment(message.clinic_id, metric, n, now=now)
    return True


@dataclass(frozen=True)
class UsageLine:
    metric: str
    used: int
    limit: int  # 0: no limit
    period_start: dt.datetime
    period_end: dt.datetime
    overage: int = 0  # units past the limit billed as overage this period
    limit_reached_at: dt.datetime | None = None

    @property
    def label(self) -> str:
        return LABELS[self.metric]

    @property
    def used_text(self) -> str:
        return f"{self.used:,}"

    @property
    def limit_text(self) -> str:
        return f"{self.limit:,}" if self.limit else "No limit"

    @property
    def percent(self) -> int | None:
        """Share of the limit used, in whole percent (None without a limit)."""
        return (self.used * 100) // self.limit if self.limit else None

    @property
    def reached(self) -> bool:
        return bool(self.limit) and self.used >= self.limit

    @property
    def warning(self) -> bool:
        """At or past the warning share of the limit (USAGE_WARN_PERCENT), not yet at it."""
        percent = self.percent
        return percent is not None and not self.reached and percent >= warn_percent()

    @property
    def warn_at(self) -> int:
        return (self.limit * warn_percent() + 99) // 100 if self.limit else 0


def warn_percent() -> int:
    return int(settings.USAGE_WARN_PERCENT)


def usage_for(
    clinic: Clinic | uuid.UUID | str, *, now: dt.datetime | None = None
) -> list[UsageLine]:
    """Every limited thing for the clinic this period: used, limit, period (the console too)."""
    clinic_id = clinic.pk if isinstance(clinic, Clinic) else clinic
    now = now or timezone.now()
    terms = terms_for(clinic_id, now)
    counters = {
        c.metric: c
        for c in UsageCounter.objects.filter(clinic_id=clinic_id, period_start=terms.period.start)
    }
    lines = []
    for metric in Metric.values:
        counter = counters.get(metric)
        lines.append(
            UsageLine(
                metric=metric,
                used=counter.count if counter else 0,
                limit=terms.limit(metric),
                period_start=terms.period.start,
                period_end=terms.period.end,
                overage=counter.overage if counter else 0,
                limit_reached_at=counter.limit_reached_at if counter else None,
            )
        )
    lines.append(
        UsageLine(
            metric=SEATS,
            used=seats_used(clinic_id),
            limit=terms.limit(SEATS),
            period_start=terms.period.start,
            period_end=terms.period.end,
        )
    )
    return lines
