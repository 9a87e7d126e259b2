"""What the assistant says, formatted: treatment facts, opening hours, prices and slot times.

British English, plain and short; a prescription-only medicine is never named
(Human Medicines Regulations 2012 reg. 284; see ``aescrm.templating.pom``).
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterable

from aescrm.patients.models import Treatment
from aescrm.templating import pom

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

PRESCRIBER_SENTENCE = (
    "It is a prescription-only medicine, so it starts with a consultation with one of our "
    "prescribers."
)
# The generated opening sentence of a treatment answer, so a stale price can be replaced
# with the current one without touching what staff wrote after it.
FACTS_SENTENCE = re.compile(
    r"^[^\n]*? (?:costs £[\d,]+(?:\.\d\d)? |is free )and takes about [^.]+\."
)


def money(pence: int) -> str:
    """£250, £72.50, £4,000."""
    pounds, rest = divmod(pence, 100)
    return f"£{pounds:,}" if rest == 0 else f"£{pounds:,}.{rest:02d}"


def duration(minutes: int) -> str:
    """45 minutes, an hour, an hour and a half, 2 hours 15 minutes."""
    hours, rest = divmod(minutes, 60)
    if hours == 0:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    lead = "an hour" if hours == 1 else f"{hours} hours"
    if rest == 0:
        return lead
    if rest == 30 and hours == 1:
        return "an hour and a half"
    return f"{lead} {rest} minutes"


def _names_a_medicine(treatment: Treatment) -> bool:
    return treatment.prescription_medicine or bool(pom.named_medicines(treatment.name))


def facts_sentence(treatment: Treatment) -> str:
    """ "Lip filler (1ml) costs £250 and takes about 45 minutes." """
    subject = "This treatment" if _names_a_medicine(treatment) else treatment.name.strip()
    subject = subject[:1].upper() + subject[1:]
    cost = "is free" if treatment.price_pence == 0 else f"costs {money(treatment.price_pence)}"
    return f"{subject} {cost} and takes about {duration(treatment.duration_minutes)}."


def treatment_answer(treatment: Treatment) -> str:
    sentences = [facts_sentence(treatment)]
    if treatment.prescription_medicine:
        sentences.append(PRESCRIBER_SENTENCE)
    return " ".join(sentences)


def with_current_facts(answer: str, treatment: Treatment) -> str:
    """``answer`` with its generated first sentence brought up to date with the catalogue."""
    return FACTS_SENTENCE.sub(lambda _: facts_sentence(treatment), answer, count=1)


def _clock(at: dt.time) -> str:
    return f"{at.hour}:{at.minute:02d}"


def _union(spans: Iterable[tuple[dt.time, dt.time]]) -> list[tuple[dt.time, dt.time]]:
    merged: list[tuple[dt.time, dt.time]] = []
    for starts, ends in sorted(spans):
        if merged and starts <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], ends))
        else:
            merged.append((starts, ends))
    return merged


def _day_range(first: int, last: int) -> str:
    if first == last:
        return WEEKDAYS[first]
    if last == first + 1:
        return f"{WEEKDAYS[first]} and {WEEKDAYS[last]}"
    return f"{WEEKDAYS[first]} to {WEEKDAYS[last]}"


def _and_list(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def opening_hours(spans: Iterable[tuple[int, dt.time, dt.time]]) -> str:
    """ "We are open Monday to Friday 9:00–17:30, Saturday 9:00–13:00; closed Sunday."

    ``spans`` are (weekday, starts, ends) from every practitioner; the clinic is
    open whenever at least one of them works. Empty when nobody has hours.
    """
    by_day: dict[int, list[tuple[dt.time, dt.time]]] = {}
    for weekday, starts, ends in spans:
        by_day.setdefault(weekday, []).append((starts, ends))
    if not by_day:
        return ""
    hours = {
        day: " and ".join(f"{_clock(s)}–{_clock(e)}" for s, e in _union(times))
        for day, times in by_day.items()
    }
    # Consecutive days with the same hours read as one range.
    groups: list[tuple[int, int, str]] = []
    for day in range(7):
        if day not in hours:
            continue
        if groups and groups[-1][1] == day - 1 and groups[-1][2] == hours[day]:
            groups[-1] = (groups[-1][0], day, hours[day])
        else:
            groups.append((day, day, hours[day]))
    text = "We are open " + ", ".join(f"{_day_range(a, b)} {h}" for a, b, h in groups)
    closed = [WEEKDAYS[day] for day in range(7) if day not in hours]
    if closed:
        text += f"; closed {_and_list(closed)}"
    return text + "."


def slot_label(moment: dt.datetime, tz: str) -> str:
    """e.g. "Tue 1 Dec, 10:00" in the clinic's time zone."""
    local = moment.astimezone(zoneinfo.ZoneInfo(tz))
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"


def when_label(moment: dt.datetime, tz: str) -> str:
    """e.g. "Tuesday 1 December at 10:00"."""
    local = moment.astimezone(zoneinfo.ZoneInfo(tz))
    return f"{local:%A} {local.day} {local:%B} at {local:%H:%M}"


def possessive(name: str) -> str:
    """ "Harbour Dental & Aesthetics'" and "Alpha Dental's": British style after an s."""
    name = name.strip()
    return f"{name}'" if name.endswith(("s", "S")) else f"{name}'s"
