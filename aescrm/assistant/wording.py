"""Small formatting helpers for what the assistant says (British English, clinic time)."""

from __future__ import annotations

import datetime as dt
import zoneinfo


def price(pence: int) -> str:
    """£250 for whole pounds, £99.50 otherwise (no floating point)."""
    pounds, rest = divmod(pence, 100)
    return f"£{pounds:,}" if rest == 0 else f"£{pounds:,}.{rest:02d}"


def slot_label(moment: dt.datetime, tz: str) -> str:
    """e.g. "Tue 1 Dec, 10:00" in the clinic's time zone."""
    local = moment.astimezone(zoneinfo.ZoneInfo(tz))
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"


def when_label(moment: dt.datetime, tz: str) -> str:
    """e.g. "Tuesday 1 December at 10:00"."""
    local = moment.astimezone(zoneinfo.ZoneInfo(tz))
    return f"{local:%A} {local.day} {local:%B} at {local:%H:%M}"
