"""When the visitor would like to come in, as a window of time.

Worked out on the clinic's local calendar (so "Monday morning" is 08:00 local
on either side of a clock change) and returned in UTC. Parts of the day:
morning 08:00-12:00, afternoon 12:00-17:00, evening 17:00-20:00; and in the
visitor's words (``_SPANS``): "after work" 17:00-20:00, "first thing" 08:00-10:00,
"lunchtime" 12:00-14:00, "end of the day" 16:00-20:00 and so on.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from aescrm.patients.normalise import fold

from .text import closest, normalise

UTC = dt.UTC

PARTS = {
    "morning": (8, 12),
    "afternoon": (12, 17),
    "evening": (17, 20),
    "lunchtime": (12, 14),
}
_PART_WORDS = {
    "morning": "morning",
    "mornings": "morning",
    "afternoon": "afternoon",
    "afternoons": "afternoon",
    "evening": "evening",
    "evenings": "evening",
    "tonight": "evening",
    "lunchtime": "lunchtime",
    "lunch": "lunchtime",
}
# Times of day in the visitor's words, read before the bare parts of the day ("early
# evening" is not the whole evening; "after work" is an evening).
_SPANS = (
    (r"\b(after work|after i finish|after i get off|after my shift|after office hours|"
     r"once i finish work|on my way home|when i finish work|after i leave work)\b",
     (17.0, 20.0), "after work"),
    (r"\b(before work|before i start work|before my shift|on my way to work)\b",
     (8.0, 9.5), "before work"),
    (r"\b(first thing|early morning|first appointment|first slot|first one in the morning|"
     r"as early as you open|when you open)\b", (8.0, 10.0), "first thing"),
    (r"\b(mid morning|late morning)\b", (10.0, 12.0), "late morning"),
    (r"\b(lunchtime|lunch time|lunch break|my lunch|over lunch|at lunch|around lunch|"
     r"dinner time|dinnertime)\b", (12.0, 14.0), "lunchtime"),
    (r"\b(early afternoon)\b", (12.0, 15.0), "early afternoon"),
    (r"\b(mid afternoon|late afternoon)\b", (15.0, 17.0), "late afternoon"),
    (r"\b(after school|after the kids finish school|school pick up)\b",
     (15.5, 20.0), "after school"),
    (r"\b(after the school run|after drop off|after school drop off)\b",
     (9.5, 15.0), "after the school run"),
    (r"\b(early evening)\b", (17.0, 19.0), "early evening"),
    (r"\b(end of the day|end of day|last appointment|last slot|last thing|close of play)\b",
     (16.0, 20.0), "end of the day"),
)  # fmt: skip
_SPAN_RES = tuple((re.compile(p), hours, label) for p, hours, label in _SPANS)

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_MONTH_BY_NAME = (
    {m: i + 1 for i, m in enumerate(MONTHS)}
    | {m[:3]: i + 1 for i, m in enumerate(MONTHS)}
    | {"sept": 9}
)
_SOON_DAYS = 14


@dataclass(frozen=True)
class TimeWish:
    start: dt.datetime  # aware UTC
    end: dt.datetime  # aware UTC (exclusive), within 31 days of start
    label: str  # e.g. "Tuesday afternoon", "next week"


def _words(text: str) -> str:
    """Normalised text with misspelt weekday and month names corrected."""
    out = []
    for word in normalise(text).split():
        if word not in WEEKDAYS and word not in MONTHS and len(word) >= 5:
            near = closest(
                word, (*WEEKDAYS, *MONTHS, "tomorrow", "afternoon", "evening", "morning"), 84.0
            )
            if near:
                word = near[0]
        out.append(word)
    return " ".join(out)


_ASAP = re.compile(
    r"\b(asap|any time|anytime|any day|whenever|soonest|earliest|as soon as|first available|"
    r"next available|soon as possible|as early as possible|flexible|i am easy|do not mind|"
    r"not fussed)\b"
)
_CLOCK = re.compile(
    r"\b(?P<prep>after|from|before|by|at|around|about)?\s*"
    r"(?P<h>\d{1,2})(?:[:.\s](?P<m>[0-5]\d))?\s*(?P<ap>am|pm|o clock|oclock)?\b"
)
_HOURS_RE = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
_HALF = re.compile(r"\bhalf (past )?(?P<h>\d{1,2}|" + _HOURS_RE + r")\b")
_WORD_HOURS = {
    word: hour
    for hour, word in enumerate(
        ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven"),
        start=1,
    )
} | {"twelve": 12}
_NUMERIC_DATE = re.compile(r"\b(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})(?:\s*/\s*(?P<y>\d{2,4}))?\b")
_ORDINAL = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
_MONTH_RE = r"(?P<mon>" + "|".join(sorted(_MONTH_BY_NAME, key=len, reverse=True)) + r")"
_DAY_MONTH = re.compile(rf"\b{_ORDINAL}(?: of)? {_MONTH_RE}\b")
_MONTH_DAY = re.compile(rf"\b{_MONTH_RE} (?:the )?{_ORDINAL}\b")
_THE_NTH = re.compile(r"\bthe (?P<d>\d{1,2})(?:st|nd|rd|th)\b")


@dataclass
class _Wish:
    day: dt.date | None = None
    span_days: int = 1
    day_label: str = ""
    hours: tuple[float, float] | None = None
    hours_label: str = ""
    explicit_date: bool = False
    weekday: int | None = None  # a bare weekday that may roll forward a week


def _hour(h: int, m: int, ap: str | None) -> float | None:
    if ap == "pm" and h < 12:
        h += 12
    elif ap == "am" and h == 12:
        h = 0
    elif ap is None and 1 <= h <= 7:
        h += 12  # "at 3" at a clinic means the afternoon
    if not 0 <= h <= 23:
        return None
    return h + m / 60


def _fmt(hour: float) -> str:
    return f"{int(hour):02d}:{round((hour % 1) * 60):02d}"


def _clock(said: str, wish: _Wish) -> None:
    """Times of day: "after 5pm", "before 10", "at 10:30", "half two"."""
    half = _HALF.search(said)
    if half:
        raw = half.group("h")
        h = int(raw) if raw.isdigit() else _WORD_HOURS[raw]
        at = _hour(h, 30, None)
        if at is not None:
            wish.hours = (at, min(at + 1, 24))
            wish.hours_label = f"at {_fmt(at)}"
            return
    for match in _CLOCK.finditer(said):
        prep, ap = match.group("prep"), match.group("ap")
        if ap in ("o clock", "oclock"):
            ap = None
        if prep is None and ap is None and match.group("m") is None:
            continue  # a bare number is not a time ("3 weeks", "the 3rd")
        tail = said[match.end() :].lstrip()
        if tail.startswith(("st ", "nd ", "rd ", "th ", "/", "weeks", "days", "month")):
            continue
        h = int(match.group("h"))
        at = _hour(h, int(match.group("m") or 0), ap)
        if at is None:
            continue
        if prep in ("after", "from"):
            wish.hours, wish.hours_label = (at, 24.0), f"after {_fmt(at)}"
        elif prep in ("before", "by"):
            wish.hours, wish.hours_label = (0.0, at), f"before {_fmt(at)}"
        else:
            wish.hours, wish.hours_label = (at, min(at + 1, 24.0)), f"at {_fmt(at)}"
        return


def _date(raw: str, said: str, today: dt.date, wish: _Wish) -> None:
    """Calendar days: "3rd december", "december 3", "3/12" (UK order), "the 3rd"."""
    day = month = year = None
    year_given = False
    m = _DAY_MONTH.search(said) or _MONTH_DAY.search(said)
    if m:
        day, month = int(m.group("d")), _MONTH_BY_NAME[m.group("mon")]
    elif m := _NUMERIC_DATE.search(raw):
        day, month = int(m.group("d")), int(m.group("m"))
        if m.group("y"):
            year_given = True
            year = int(m.group("y"))
            year = year + 2000 if year < 100 else year
    elif m := re.search(
        r"\b(christmas eve|christmas day|christmas|boxing day|new year s eve|new years eve)\b", said
    ):
        day, month = {
            "christmas eve": (24, 12),
            "boxing day": (26, 12),
            "new year s eve": (31, 12),
            "new years eve": (31, 12),
        }.get(m.group(1), (25, 12))
    elif m := _THE_NTH.search(said):
        day, month = int(m.group("d")), today.month
        if day < today.day:
            month = month % 12 + 1
    if day is None or month is None:
        return
    year = year or today.year
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return
    if date < today and not year_given:
        try:
            date = dt.date(year + 1, month, day)
        except ValueError:
            return
    wish.day = date
    wish.explicit_date = True
    wish.day_label = (
        f"{WEEKDAYS[date.weekday()].capitalize()} {date.day} {MONTHS[date.month - 1].capitalize()}"
    )


def _days(said: str, today: dt.date, wish: _Wish) -> None:
    """Relative days: today, tomorrow, weekdays, this/next week, the weekend, in N weeks."""
    monday = today - dt.timedelta(days=today.weekday())
    if re.search(r"\bday after tomorrow\b", said):
        wish.day, wish.day_label = today + dt.timedelta(days=2), "the day after tomorrow"
    elif re.search(r"\btomorrow\b", said):
        wish.day, wish.day_label = today + dt.timedelta(days=1), "tomorrow"
    elif re.search(r"\b(today|tonight|this (morning|afternoon|evening)|later on|later)\b", said):
        wish.day, wish.day_label = today, "today"
    elif found := list(
        re.finditer(r"\b(?:(next|this|coming|on)\s+)?(" + "|".join(WEEKDAYS) + r")\b", said)
    ):
        days = []
        for m in found:
            target = WEEKDAYS.index(m.group(2))
            ahead = (target - today.weekday()) % 7
            if m.group(1) in ("next", "coming") and ahead == 0:
                ahead = 7  # "next Saturday" said on a Saturday is a week today
            elif m.group(1) not in ("next", "coming") and len(found) == 1:
                wish.weekday = target  # today if there is time left, checked later
            days.append(today + dt.timedelta(days=ahead))
        # "Monday or Tuesday": from the first of them to the end of the last.
        wish.day = min(days)
        wish.span_days = (max(days) - wish.day).days + 1
        wish.day_label = " or ".join(m.group(2).capitalize() for m in found)
    elif re.search(r"\b(next|following) weekend\b", said):
        saturday = monday + dt.timedelta(days=5)
        wish.day = saturday + dt.timedelta(days=7 if today.weekday() >= 5 else 0)
        wish.span_days, wish.day_label = 2, "next weekend"
    elif re.search(r"\b(this )?weekend\b", said):
        saturday = monday + dt.timedelta(days=5)
        wish.day, wish.span_days, wish.day_label = saturday, 2, "this weekend"
    elif re.search(r"\b(next|following) week\b", said):
        wish.day, wish.span_days, wish.day_label = monday + dt.timedelta(days=7), 7, "next week"
    elif re.search(r"\b(this|rest of the|later this) week\b", said):
        wish.day, wish.span_days, wish.day_label = today, 7 - today.weekday(), "this week"
    elif weeks := re.search(r"\bin (a|one|two|three|1|2|3) weeks?\b|\bin a (fortnight)\b", said):
        counts = {"a": 1, "one": 1, "two": 2, "three": 3}
        n = 2 if weeks.group(2) else counts.get(weeks.group(1)) or int(weeks.group(1))
        wish.day, wish.span_days = monday + dt.timedelta(days=7 * n), 7
        wish.day_label = "in a week" if n == 1 else f"in {n} weeks"
    elif re.search(r"\bnext month\b", said):
        first = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        wish.day, wish.span_days, wish.day_label = first, 31, "next month"


def parse_time_wish(text: str, *, now: dt.datetime, tz: str) -> TimeWish | None:
    """The window of time ``text`` asks for, or None when it names no time."""
    zone = ZoneInfo(tz)
    local_now = now.astimezone(zone)
    today = local_now.date()
    raw = fold(text)
    numeric = _NUMERIC_DATE.search(raw)
    # "3/12" would read as 3:12 once punctuation goes, so dates come out first.
    said = _words(raw[: numeric.start()] + " " + raw[numeric.end() :] if numeric else raw)
    # "I finish work at 6", "I'm off at half 5": from then on.
    said = re.sub(
        r"\b(finish|finishes|finished|finishing|get off|leave work|leave|off|done)( work)? "
        r"(at|around|about|by) ",
        "after ",
        said,
    )
    wish = _Wish()
    _date(raw, said, today, wish)
    if wish.day is None:
        _days(said, today, wish)
    _clock(said, wish)
    if wish.hours is None:
        span = next((s for s in _SPAN_RES if s[0].search(said)), None)
        if span is not None:
            wish.hours, wish.hours_label = span[1], span[2]
    part = next((_PART_WORDS[w] for w in said.split() if w in _PART_WORDS), None)
    if wish.hours is None and part is not None:
        wish.hours, wish.hours_label = PARTS[part], part
        if part == "evening" and wish.day_label == "today" and "tonight" in said:
            wish.day_label, wish.hours_label = "tonight", ""
    if wish.day is None and wish.hours is None:
        if _ASAP.search(said):
            label = (
                "as soon as possible"
                if re.search(r"asap|soon|earliest|first|next", said)
                else "any time"
            )
            return TimeWish(
                now.astimezone(UTC), (now + dt.timedelta(days=_SOON_DAYS)).astimezone(UTC), label
            )
        return None

    def window(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        lo, hi = wish.hours or (0.0, 24.0)
        last = day + dt.timedelta(days=wish.span_days - 1)
        start = dt.datetime.combine(day, dt.time(), zone) + dt.timedelta(hours=lo)
        end = dt.datetime.combine(last, dt.time(), zone) + dt.timedelta(hours=hi)
        # Wall-clock hours: rebuild from the local fields so a clock change inside the
        # window keeps "08:00" at 08:00 local.
        start = _local(start, zone)
        end = _local(end, zone)
        return start, end

    day = wish.day
    if day is None:
        # A part of the day or a clock time alone: the next one still to come.
        day = today
        wish.day_label = "today"
    start, end = window(day)
    if end <= local_now and (wish.weekday is not None or not wish.explicit_date):
        if wish.weekday is not None:
            day = day + dt.timedelta(days=7)
        elif wish.day_label == "today":
            day, wish.day_label = day + dt.timedelta(days=1), "tomorrow"
        else:
            return None
        start, end = window(day)
    elif end <= local_now:
        return None
    start = max(start, local_now)
    label = " ".join(p for p in (wish.day_label, wish.hours_label) if p).strip()
    if wish.hours_label in PARTS and wish.day_label in ("today", "tomorrow"):
        label = "this " + wish.hours_label if wish.day_label == "today" else label
    return TimeWish(start.astimezone(UTC), end.astimezone(UTC), label or "soon")


def _local(value: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    naive = value.replace(tzinfo=None)
    return naive.replace(tzinfo=zone)
