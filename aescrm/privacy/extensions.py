"""The rules for extending a privacy request's deadline, shared by every register.

The clinic register (``aescrm.privacy``) and AES-CRM Ltd's register of account
holders' requests (``aescrm.platform_privacy``) apply the same rule, so it
lives here once: up to two further months beyond the original due date,
counted from the day of receipt, and the person told (with the reason)
within the first month.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from aescrm.core.problems import Conflict, ValidationFailed
from aescrm.privacy import deadlines


def check_months(months: Any) -> int:
    """An extension is one or two further months; anything else is refused."""
    if not isinstance(months, int) or not 1 <= months <= deadlines.MAX_EXTENSION_MONTHS:
        raise ValidationFailed(
            "an extension is at most two further months beyond the original due date "
            "(months must be 1 or 2)",
            field="months",
        )
    return months


def require_told_on(person_told_on: dt.date | None) -> dt.date:
    """An extension is recorded only with the date the person was told of it."""
    if person_told_on is None:
        raise ValidationFailed(
            "give the date the person was told of the extension and why", field="person_told_on"
        )
    return person_told_on


def extended_until(
    *,
    received_on: dt.date,
    due_on: dt.date,
    current_months: int,
    months: int,
    person_told_on: dt.date,
    today: dt.date,
) -> dt.date:
    """The new deadline, once the request (locked) is known to allow this extension."""
    if months <= current_months:
        raise Conflict(
            f"the request is already extended by {current_months} "
            f"month{'s' if current_months != 1 else ''}; "
            "a further extension must go beyond it",
            field="months",
        )
    if person_told_on < received_on:
        raise ValidationFailed(
            "person_told_on cannot be before the request was received", field="person_told_on"
        )
    if person_told_on > today:
        raise ValidationFailed("person_told_on cannot be in the future", field="person_told_on")
    if person_told_on > due_on:
        raise ValidationFailed(
            "the person must be told of an extension within one month of receipt "
            f"(by {due_on:%d %B %Y})",
            field="person_told_on",
        )
    return deadlines.extended_due_date(received_on, months)
