"""Opening hours: when a clinic's speed-to-lead clock runs.

Hours are wall-clock spans per weekday in the clinic's time zone
(``{"0": [["09:00", "18:00"]], ...}``, Monday = "0"). A lead that arrives at
17:58 on a Friday with a five-minute limit is due at 09:03 on Saturday, not
at 18:03. All arithmetic is done in UTC, so the clock changes neither add
nor lose an hour.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from itertools import pairwise
from typing import Any

from aescrm.core.problems import ValidationFailed

Hours = dict[str, list[list[str]]]
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
# Look this far ahead for enough open time (a clinic closed for a fortnight has no deadline).
HORIZON_DAYS = 14


def _parse(value: str, field: str) -> dt.time:
    match = _TIME.match(value) if isinstance(value, str) else None
    if match is None:
        raise ValidationFailed(f"{value!r} is not a time like 09:00", field=field)
    return dt.time(int(match.group(1)), int(match.group(2)))


def validate_hours(hours: Any) -> Hours:
    """Clean opening hours or a ValidationFailed naming the day."""
    if not isinstance(hours, dict):
        raise ValidationFailed("opening hours must map weekdays to spans", field="opening_hours")
    clean: Hours = {}
    for day, spans in hours.items():
        field = f"opening_hours.{day}"
        if str(day) not in {str(d) for d in range(7)}:
            raise ValidationFailed("weekday must be 0 (Monday) to 6 (Sunday)", field=field)
        if not isinstance(spans, list):
            raise ValidationFailed("a day's hours must be a list of [open, close]", field=field)
        out = []
        for span in spans:
            if not (isinstance(span, list | tuple) and len(span) == 2):
                raise ValidationFailed("each span is [open, close]", field=field)
            opens, closes = _parse(span[0], field), _parse(span[1], field)
            if closes <= opens:
                raise ValidationFailed("closing time must be after opening time", field=field)
            out.append([span[0], span[1]])
        out.sort()
        for (_, earlier_close), (later_open, _) in pairwise(out):
            # Overlapping time would be counted twice, bringing deadlines forward.
            if later_open < earlier_close:
                raise ValidationFailed("a day's opening spans overlap", field=field)
        if out:
            clean[str(day)] = out
    return clean


def _spans_on(
    day: dt.date, hours: Hours, tz: zoneinfo.ZoneInfo
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The open spans of one local day, as UTC datetimes."""
    spans = []
    for opens, closes in hours.get(str(day.weekday()), []):
        start = dt.datetime.combine(day, _parse(opens, "opening_hours"), tzinfo=tz)
        end = dt.datetime.combine(day, _parse(closes, "opening_hours"), tzinfo=tz)
        spans.append((start.astimezone(dt.UTC), end.astimezone(dt.UTC)))
    return spans


def open_seconds_between(
    start: dt.datetime, end: dt.datetime, hours: Hours, tz: zoneinfo.ZoneInfo
) -> float:
    """Seconds of opening time between two moments."""
    if end <= start:
        return 0.0
    if not hours:
        return (end - start).total_seconds()
    total = 0.0
    day = start.astimezone(tz).date() - dt.timedelta(days=1)
    last = end.astimezone(tz).date()
    while day <= last:
        for opens, closes in _spans_on(day, hours, tz):
            lo, hi = max(opens, start), min(closes, end)
            if hi > lo:
                total += (hi - lo).total_seconds()
        day += dt.timedelta(days=1)
    return total


def due_at(
    start: dt.datetime, limit: dt.timedelta, hours: Hours, tz: zoneinfo.ZoneInfo
) -> dt.datetime | None:
    """The moment ``limit`` of opening time has passed since ``start`` (None: never open)."""
    start = start.astimezone(dt.UTC)
    if not hours:
        return start + limit
    remaining = limit.total_seconds()
    day = start.astimezone(tz).date() - dt.timedelta(days=1)
    for _ in range(HORIZON_DAYS + 2):
        for opens, closes in _spans_on(day, hours, tz):
            lo = max(opens, start)
            if closes <= lo:
                continue
            available = (closes - lo).total_seconds()
            if available >= remaining:
                return lo + dt.timedelta(seconds=remaining)
            remaining -= available
        day += dt.timedelta(days=1)
    return None
