"""Deadlines for people's privacy requests, by the ICO's calendar-month rule.

A request received on a day is due the same date in the next month; where
that date does not exist (31 January → February), the last day of that month.
An extension adds up to two further months, counted the same way from the
day of receipt (three months in all). The date of receipt is day zero.

The ICO also lets a deadline that falls on a weekend or bank holiday move
to the next working day; it is not used here, so a due date is never later
than the strict rule (docs/decisions/0023-privacy-requests-register.md).
"""

from __future__ import annotations

import calendar
import datetime as dt

MAX_EXTENSION_MONTHS = 2


def add_months(day: dt.date, months: int) -> dt.date:
    """The same date ``months`` later, or that month's last day where the date does not exist."""
    if months < 0:
        raise ValueError("months must not be negative")
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def due_date(received_on: dt.date) -> dt.date:
    """One calendar month from the day of receipt."""
    return add_months(received_on, 1)


def extended_due_date(received_on: dt.date, months: int) -> dt.date:
    """The due date after an extension of ``months`` (1 or 2) further months."""
    if not 1 <= months <= MAX_EXTENSION_MONTHS:
        raise ValueError(f"an extension is 1 or {MAX_EXTENSION_MONTHS} further months")
    return add_months(received_on, 1 + months)
