"""The plan limits as gates: one function per metric, asked before anything is sent or added.

Each answers a ``Decision``: allowed, or refused with a sentence naming the
limit, when it was reached and when it resets (docs/decisions/0033). Callers
decide what refusal means for them: the outbox holds the message until the
period resets or the plan changes; the website chat answers with a fixed
message and leaves the chat to the team; adding a member is refused.

A clinic that allows overage is never refused for SMS, email or chat: the
units past the limit are counted as overage and reported to Stripe.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from django.utils import timezone

from aescrm.accounts.models import Clinic
from aescrm.billing import usage
from aescrm.billing.models import Metric
from aescrm.core.problems import DomainError

logger = logging.getLogger(__name__)
# Message.error_code of a message held because a limit was reached.
HELD_CODE = "usage_limit"


class LimitReached(DomainError):
    status = 402
    title = "Plan limit reached"
    type_slug = "plan-limit-reached"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    metric: str
    reason: str = ""  # the refusal, or the warning when close to the limit
    resets_at: dt.datetime | None = None
    overage: bool = False  # allowed past the limit: billed as overage


def _day(moment: dt.datetime) -> str:
    return f"{moment.astimezone(usage.LONDON):%-d %B %Y}"


def limit_reached_message(
    metric: str, limit: int, reached_at: dt.datetime, terms: usage.Terms
) -> str:
    """E.g. "Monthly SMS limit of 4,000 segments reached on 12 December 2026; …"."""
    thing, unit = usage.WORDING[metric]
    kind = "Trial" if terms.trialing else "Monthly"
    if metric == usage.SEATS:
        return (
            f"Your plan's limit of {limit:,} {unit} is reached: remove a team member or "
            "upgrade your plan to add another."
        )
    return (
        f"{kind} {thing} limit of {limit:,} {unit} reached on {_day(reached_at)}; it resets on "
        f"{_day(terms.period.end)}, or upgrade your plan (or allow overage) to carry on now."
    )


def _gate(clinic_id: uuid.UUID | str, metric: str, now: dt.datetime | None) -> Decision:
    now = now or timezone.now()
    terms = usage.terms_for(clinic_id, now)
    limit = terms.limit(metric)
    if not limit:
        return Decision(True, metric)
    counter = (
        usage.UsageCounter.objects.filter(
            clinic_id=clinic_id, metric=metric, period_start=terms.period.start
        )
        .values_list("count", "limit_reached_at")
        .first()
    )
    used, reached_at = (int(counter[0]), counter[1]) if counter else (0, None)
    if used < limit:
        return Decision(True, metric)
    if terms.allow_overage:
        return Decision(True, metric, overage=True, resets_at=terms.period.end)
    reason = limit_reached_message(metric, limit, reached_at or now, terms)
    return Decision(False, metric, reason=reason, resets_at=terms.period.end)


def sms_gate(clinic_id: uuid.UUID | str, *, now: dt.datetime | None = None) -> Decision:
    """May the clinic send another SMS now? Refused once this period's segments reach the
    limit (the last message that starts below it still goes, whatever its length)."""
    return _gate(clinic_id, Metric.SMS_SEGMENTS, now)


def email_gate(clinic_id: uuid.UUID | str, *, now: dt.datetime | None = None) -> Decision:
    return _gate(clinic_id, Metric.EMAILS, now)


def chat_gate(clinic_id: uuid.UUID | str, *, now: dt.datetime | None = None) -> Decision:
    """May a new website chat conversation have the assistant? (Open chats carry on.)"""
    return _gate(clinic_id, Metric.CHAT_CONVERSATIONS, now)


def message_gate(
    clinic_id: uuid.UUID | str, channel: str, *, now: dt.datetime | None = None
) -> Decision:
    """The gate for an outbound message's channel (calls and chat messages have none)."""
    if channel == "sms":
        return sms_gate(clinic_id, now=now)
    if channel == "email":
        return email_gate(clinic_id, now=now)
    return Decision(True, channel)


def seat_available(clinic: Clinic | uuid.UUID | str) -> Decision:
    """May the clinic add another member? Seats are memberships, counted now."""
    clinic_id = clinic.pk if isinstance(clinic, Clinic) else clinic
    terms = usage.terms_for(clinic_id)
    limit = terms.limit(usage.SEATS)
    if not limit or usage.seats_used(clinic_id) < limit:
        return Decision(True, usage.SEATS)
    reason = limit_reached_message(usage.SEATS, limit, timezone.now(), terms)
    return Decision(False, usage.SEATS, reason=reason)


def seat_check(clinic: Clinic) -> None:
    """Raise LimitReached (naming the limit) if the clinic has no seat free."""
    decision = seat_available(clinic)
    if not decision.allowed:
        logger.warning("clinic %s: member not added: %s", clinic.pk, decision.reason)
        raise LimitReached(decision.reason, field="seats", limit="seats")


# What happens at each limit, for the warning before it.
AT_THE_LIMIT = {
    Metric.SMS_SEGMENTS: "texts are held",
    Metric.EMAILS: "emails are held",
    Metric.CHAT_CONVERSATIONS: "the website assistant stops answering new chats",
    usage.SEATS: "no more team members can be added",
}


@dataclass(frozen=True)
class Notice:
    metric: str
    level: str  # "warning" (at USAGE_WARN_PERCENT) or "reached"
    text: str


def notices_for(lines: list[usage.UsageLine], terms: usage.Terms) -> list[Notice]:
    """The warnings and limit-reached notices owners see on the dashboard and usage page."""
    found = []
    for line in lines:
        thing, unit = usage.WORDING[line.metric]
        if line.reached:
            if terms.allow_overage and line.metric != usage.SEATS:
                text = (
                    f"Your plan's {line.limit:,} {thing} {unit} are used up; overage is on, so "
                    f"sending carries on and {line.overage:,} more {unit} so far will be billed."
                )
            else:
                text = limit_reached_message(
                    line.metric, line.limit, line.limit_reached_at or timezone.now(), terms
                )
            found.append(Notice(line.metric, "reached", text))
        elif line.warning:
            until = "" if line.metric == usage.SEATS else f" until {_day(line.period_end)}"
            text = (
                f"You have used {line.used:,} of your {line.limit:,} {thing} {unit} "
                f"({line.percent}%). At the limit {AT_THE_LIMIT[line.metric]}{until}; "
                "upgrade your plan to avoid that."
            )
            found.append(Notice(line.metric, "warning", text))
    return found


def usage_notices(clinic_id: uuid.UUID | str, *, now: dt.datetime | None = None) -> list[Notice]:
    now = now or timezone.now()
    return notices_for(usage.usage_for(clinic_id, now=now), usage.terms_for(clinic_id, now))
