"""A date or year of birth in a message, and the youngest age it allows on a given day.

Only a date next to a birth word counts ("dob 03/05/2010", "born in 2010", "born 3rd May
2009", "my date of birth is 2009-05-03"): "I've been a patient since 2010" or "I had filler
on 12/03/2024" say nothing about age. Dates are read the UK way round (day, month, year).
With only a year, or a month and year, the person may or may not have had this year's
birthday: the youngest age it allows is used, since booking toxin or filler for an under-18
breaks the law while a wrongly refused 18-year-old can simply call the clinic.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from aescrm.assistant.guardrails.text import fold

LONDON = ZoneInfo("Europe/London")

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(jan|feb|mar|apr|may|jun|jul|aug|sept|sep|oct|nov|dec)(?:uary|ruary|ch|il|e|y|ust|ember"
    r"|tember|ober)?\.?"
)
_YEAR = r"(\d{4}|['’]?\d{2})"
_ORD = r"(?:st|nd|rd|th)?"
# "dob", "d.o.b.", "date of birth", "birth date", "born", "birthday".
_CUE = re.compile(
    r"\b(?:dob|d\s?\.\s?o\s?\.\s?b|date of birth|birth ?date|born|birthday|b ?day|b-day)\b\.?"
)
# The first date after the cue, within a few words: tried in order.
_DATES = (
    ("dmy", re.compile(r"(\d{1,2})\s?[/.\-]\s?(\d{1,2})\s?[/.\-]\s?(\d{4}|\d{2})\b")),
    ("ymd", re.compile(r"(\d{4})\s?[/.\-]\s?(\d{1,2})\s?[/.\-]\s?(\d{1,2})\b")),
    ("d month y", re.compile(rf"\b(\d{{1,2}}){_ORD}(?: of)? {_MONTH},? {_YEAR}\b")),
    ("month d y", re.compile(rf"\b{_MONTH} (\d{{1,2}}){_ORD},? {_YEAR}\b")),
    ("month y", re.compile(rf"\b{_MONTH},? {_YEAR}\b")),
    ("y", re.compile(r"(?<![\d/.\-])(\d{4}|['’]\d{2})\b(?![/.\-]\d)")),
    # "born in 09": a bare two-digit year only straight after "born in".
    ("y", re.compile(r"^\s*(?:in|on|in the year)\s+(\d{2})\b(?![/.\-]\d)")),
)
_REACH = 25  # characters after the cue the date may start within
# Words that start another statement between the cue and a date: "born and raised here,
# been a patient since 2010".
_BREAK = re.compile(
    r"\b(?:since|been|patient|client|ago|until|till|from|when|treatment|appointment|had|have"
    r"|booked|came|visit\w*|and|but)\b"
)


def _today(now: dt.date | dt.datetime | None) -> dt.date:
    if now is None:
        return dt.datetime.now(LONDON).date()
    if isinstance(now, dt.datetime):
        return now.astimezone(LONDON).date() if now.tzinfo else now.date()
    return now


def _year(token: str, today: dt.date) -> int:
    digits = token.lstrip("'’")
    if len(digits) == 4:
        return int(digits)
    short = int(digits)
    return 2000 + short if 2000 + short <= today.year else 1900 + short


def _youngest_age(kind: str, groups: tuple[str, ...], today: dt.date) -> int | None:
    """The youngest age on ``today`` of someone born on the date found, or None."""
    day = month = None
    if kind == "dmy":
        day, month, year = int(groups[0]), int(groups[1]), _year(groups[2], today)
    elif kind == "ymd":
        year, month, day = int(groups[0]), int(groups[1]), int(groups[2])
    elif kind == "d month y":
        day, month, year = int(groups[0]), _MONTHS[groups[1]], _year(groups[2], today)
    elif kind == "month d y":
        month, day, year = _MONTHS[groups[0]], int(groups[1]), _year(groups[2], today)
    elif kind == "month y":
        month, year = _MONTHS[groups[0]], _year(groups[1], today)
    else:
        year = _year(groups[0], today)
    if not today.year - 120 <= year <= today.year:
        return None
    if day is not None and month is not None:
        try:
            born = dt.date(year, month, day)
        except ValueError:
            return None
        if born > today:
            return None
        return today.year - year - ((today.month, today.day) < (month, day))
    if month is not None:
        if (year, month) > (today.year, today.month):
            return None
        return today.year - year - (1 if month >= today.month else 0)
    return max(today.year - year - 1, 0)


def age_from_birth(message: str, now: dt.date | dt.datetime | None = None) -> int | None:
    """The youngest age a date of birth in ``message`` allows on ``now`` (Europe/London;
    default today), or None when the message gives no date of birth."""
    text = fold(message)
    today = _today(now)
    youngest: int | None = None
    for cue in _CUE.finditer(text):
        after = text[cue.end() : cue.end() + _REACH + 20]
        best: tuple[int, int | None] | None = None
        for kind, pattern in _DATES:
            found = pattern.search(after)
            if (
                found
                and found.start() <= _REACH
                and (best is None or found.start() < best[0])
                and not _BREAK.search(after[: found.start()])
            ):
                best = (found.start(), _youngest_age(kind, found.groups(), today))
        if best is not None and best[1] is not None:
            youngest = best[1] if youngest is None else min(youngest, best[1])
    return youngest
