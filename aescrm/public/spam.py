"""Spam defence without third-party captchas (docs/decisions/0008).

Three cheap signs of a bot: it filled in the hidden ``website`` field (the
honeypot), it sent the form faster than a person can fill it in, or it
stuffed links into the text. A submission showing one is answered exactly as
an accepted one would be, creates nothing, and is counted per clinic and day.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from aescrm.accounts.models import Clinic
from aescrm.public.models import SpamReason, SpamTally

logger = logging.getLogger(__name__)

HONEYPOT = "website"
_LINK = re.compile(r"https?://|www\.|\[url|<a\s|\bhref\s*=", re.IGNORECASE)
NAME_FIELDS = ("first_name", "last_name")
TEXT_FIELDS = ("message", "preferred_time", "treatment", "first_name", "last_name")


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if number == number and abs(number) != float("inf") else None


def fill_seconds(data: Mapping[str, Any], now: float | None = None) -> float | None:
    """How long the form was open: the widget's own measure, else from its render time."""
    measured = _number(data.get("fill_ms"))
    if measured is not None and measured >= 0:
        return measured / 1000
    rendered = _number(data.get("rendered_at"))
    if rendered is None:
        return None  # a form without the widget: the other checks still apply
    elapsed = (time.time() if now is None else now) - rendered / 1000
    # A visitor's clock far off ours says nothing about how fast they typed.
    return elapsed if elapsed >= 0 else None


def links_in(value: Any) -> int:
    return len(_LINK.findall(value)) if isinstance(value, str) else 0


def spam_reason(data: Mapping[str, Any], now: float | None = None) -> str | None:
    honeypot = data.get(HONEYPOT)
    if honeypot not in (None, "") and not (isinstance(honeypot, str) and not honeypot.strip()):
        return SpamReason.HONEYPOT
    seconds = fill_seconds(data, now)
    if seconds is not None and seconds < settings.PUBLIC_MIN_FILL_SECONDS:
        return SpamReason.TOO_FAST
    if any(links_in(data.get(name)) for name in NAME_FIELDS):
        return SpamReason.LINKS
    if sum(links_in(data.get(name)) for name in TEXT_FIELDS) > settings.PUBLIC_MAX_LINKS:
        return SpamReason.LINKS
    return None


def spam_count(reason: str, *, clinic: Clinic, now: dt.datetime | None = None) -> None:
    """Count one dropped submission for the active clinic on its own day (and log it)."""
    day = (now or timezone.now()).astimezone(clinic.tz).date()
    logger.warning("public enquiry for %s dropped as spam: %s", clinic.public_key, reason)
    if SpamTally.objects.filter(day=day, reason=reason).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            SpamTally.objects.create(day=day, reason=reason, count=1)
    except IntegrityError:  # another request created today's row first
        SpamTally.objects.filter(day=day, reason=reason).update(count=F("count") + 1)
