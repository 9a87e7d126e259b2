"""What is kept for how long: one row per data category.

Defaults come from the domain notes (docs/shared uk-clinics: attribution 2
years, audit 7 years, a terminated clinic's data and its account records 7
years after the account ends). A clinic may set its own period for a
category marked ``overridable``, never below ``minimum_months`` where a
minimum exists (``minimum_why`` says whose rule it is).

Cut-offs are whole days on the clinic's own calendar: "older than 2 years"
on 27 November 2026 in London means before 00:00 London time on 27 November
2024, so the boundary does not move with the clocks or with UTC.
"""

from __future__ import annotations

import calendar
import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    default_months: int | None  # None: the period is another module's setting (delegated)
    minimum_months: int | None
    minimum_why: str
    runs_from: str
    what_happens: str
    overridable: bool = True


ATTRIBUTION = "attribution"
AUDIT = "audit"
ANONYMOUS_CHATS = "anonymous_chats"
EMAIL_WEBHOOK_RECEIPTS = "email_webhook_receipts"
ACCOUNT_RECORDS = "account_records"
TERMINATED_CLINIC = "terminated_clinic"

# In the order a run applies them: destroying a terminated clinic's keys comes last.
CATEGORIES: tuple[Category, ...] = (
    Category(
        ATTRIBUTION,
        "Attribution touches",
        24,
        None,
        "",
        "the visit the touch recorded",
        "Touches (click ids, landing pages, campaign tags) are deleted. Conversions stay "
        "counted; one whose touch is gone is reported as direct.",
    ),
    Category(
        AUDIT,
        "Audit log entries",
        84,
        84,
        "AES-CRM keeps every clinic's audit trail 7 years: it is the evidence of "
        "accountability (UK GDPR Art. 5(2)).",
        "the event",
        "Entries are deleted after a signed checkpoint, so the rest of the log still verifies.",
    ),
    Category(
        ANONYMOUS_CHATS,
        "Anonymous website chats",
        None,
        None,
        "",
        "the chat's last message",
        "Chats that never became a patient are deleted by the assistant's own purge "
        "(CHAT_ANONYMOUS_RETENTION_DAYS).",
        overridable=False,
    ),
    Category(
        EMAIL_WEBHOOK_RECEIPTS,
        "Email delivery webhook receipts",
        3,
        1,
        "Postmark retries a delivery event for days; a receipt must outlive the retries "
        "so a replay changes nothing.",
        "the event's arrival",
        "Receipts (event ids kept to ignore replays) are deleted.",
    ),
    Category(
        ACCOUNT_RECORDS,
        "Account records",
        84,
        72,
        "Financial and account records: 6 years (Companies Act 2006 s.388, HMRC).",
        "the end of the clinic's account",
        "The clinic's memberships and API keys are deleted.",
    ),
    Category(
        TERMINATED_CLINIC,
        "A terminated clinic's data",
        84,
        84,
        "Patient records are kept 7 years after the account ends (AES-CRM's terms).",
        "the end of the clinic's account",
        "The clinic's encryption keys are destroyed: every encrypted field, backups "
        "included, can no longer be read.",
    ),
)

BY_KEY = {c.key: c for c in CATEGORIES}


def months_back(day: dt.date, months: int) -> dt.date:
    """``day`` minus whole months; the month's last day where that date does not exist."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_forward(day: dt.date, months: int) -> dt.date:
    return months_back(day, -months)


def local_midnight(day: dt.date, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=tz)


def cutoff(now: dt.datetime, tz: zoneinfo.ZoneInfo, months: int) -> dt.datetime:
    """Start of the clinic-local day ``months`` before today: older rows are past retention."""
    return local_midnight(months_back(now.astimezone(tz).date(), months), tz)


def period_words(months: int) -> str:
    if months % 12 == 0:
        years = months // 12
        return f"{years} year{'s' if years != 1 else ''}"
    return f"{months} month{'s' if months != 1 else ''}"


def chat_days() -> int:
    return int(settings.CHAT_ANONYMOUS_RETENTION_DAYS)


def period_label(category: Category, months: int | None) -> str:
    if category.key == ANONYMOUS_CHATS:
        return f"{chat_days()} days"
    return period_words(months or 0)
