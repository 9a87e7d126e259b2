"""When a step falls due, in the clinic's own clock.

"48 hours before" a Monday 10:00 appointment means Saturday 10:00 on the
clinic's clock, also on the weekend the clocks change (when 48 real hours
would be 09:00 or 11:00). So whole days are counted on the local calendar
at the same wall-clock time, and only the rest of an offset (the "2" of a
2-hour reminder) is counted in real minutes. Results are UTC.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

MINUTES_PER_DAY = 24 * 60
# A wait counted from a visit recorded late may end this long ago and still be taken.
LATE_WAIT = dt.timedelta(days=2)
# A reminder that could not go at its time may still go this late, at most...
MAX_GRACE = dt.timedelta(hours=6)


def _local_days(moment: dt.datetime, days: int, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    local = moment.astimezone(tz)
    day = local.date() + dt.timedelta(days=days)
    wall = dt.datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=tz)
    return wall.astimezone(dt.UTC)


def offset_from(anchor: dt.datetime, offset_minutes: int, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    """``anchor`` moved by ``offset_minutes`` (negative: before), whole days on the local clock."""
    sign = -1 if offset_minutes < 0 else 1
    days, rest = divmod(abs(offset_minutes), MINUTES_PER_DAY)
    moved = _local_days(anchor, sign * days, tz) if days else anchor.astimezone(dt.UTC)
    return moved + dt.timedelta(minutes=sign * rest)


def latest_for(anchor: dt.datetime, offset_minutes: int, due: dt.datetime) -> dt.datetime:
    """...and no later than half its lead time, nor after the appointment has begun."""
    grace = min(dt.timedelta(minutes=abs(offset_minutes)) / 2, MAX_GRACE)
    latest = due + grace
    if offset_minutes < 0:
        latest = min(latest, anchor)
    return latest


def after_wait(now: dt.datetime, action: dict[str, Any], tz: zoneinfo.ZoneInfo) -> dt.datetime:
    """When a wait step ends: N minutes on, or N local days on (at a given local time)."""
    if "minutes" in action:
        return now + dt.timedelta(minutes=int(action["minutes"]))
    days = int(action.get("days", 0))
    local = now.astimezone(tz)
    day = local.date() + dt.timedelta(days=days)
    if "at" in action:
        hour, minute = (int(p) for p in str(action["at"]).split(":"))
        wall = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz)
        if wall.astimezone(dt.UTC) <= now:  # "today at 10:00", asked at 11:00
            wall = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(hour, minute), tzinfo=tz)
        return wall.astimezone(dt.UTC)
    return _local_days(now, days, tz)


def describe_offset(offset_minutes: int) -> str:
    """ "48 hours before" / "1 day after" for the builder and the log."""
    minutes = abs(offset_minutes)
    if minutes % 60 == 0:
        amount = f"{minutes // 60} hour{'s' if minutes != 60 else ''}"
    else:
        amount = f"{minutes} minutes"
    return f"{amount} {'before' if offset_minutes < 0 else 'after'}"
