"""JSON API: the key's clinic's usage this billing period against its plan's limits."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from aescrm.api.common import ERRORS, caller_of
from aescrm.billing import usage_services

router = Router(tags=["usage"])


class UsageLineOut(Schema):
    metric: str  # sms_segments, emails, chat_conversations, seats
    label: str
    used: int
    limit: int | None  # null: no limit
    percent: int | None
    warning: bool  # at or past the warning share (80%), not yet at the limit
    reached: bool
    overage: int  # units past the limit billed as overage this period
    limit_reached_at: dt.datetime | None


class NoticeOut(Schema):
    metric: str
    level: str  # warning or reached
    text: str


class UsageOut(Schema):
    plan: str | None  # null: not billed through a plan, nothing limited
    period_start: dt.datetime
    period_end: dt.datetime
    allow_overage: bool
    metrics: list[UsageLineOut]
    notices: list[NoticeOut]


@router.get("/usage", response={200: UsageOut, **ERRORS})
def usage_get(request: HttpRequest) -> dict[str, object]:
    """SMS segments, emails and chatbot conversations counted this billing period, and seats
    (members now), each against the plan's limit. Scope ``usage:read``."""
    report = usage_services.usage_report(caller=caller_of(request))
    return {
        "plan": report.plan_name,
        "period_start": report.period_start,
        "period_end": report.period_end,
        "allow_overage": report.allow_overage,
        "metrics": [
            {
                "metric": line.metric,
                "label": line.label,
                "used": line.used,
                "limit": line.limit or None,
                "percent": line.percent,
                "warning": line.warning,
                "reached": line.reached,
                "overage": line.overage,
                "limit_reached_at": line.limit_reached_at,
            }
            for line in report.lines
        ],
        "notices": [{"metric": n.metric, "level": n.level, "text": n.text} for n in report.notices],
    }
