"""Free slots: the one search the calendar, the booking API and the chatbot all use.

A slot is a start time at which the treatment fits wholly inside a
practitioner's working hours, outside their breaks and time off, on a day the
clinic is open, in the future, and with the treatment's buffers clear of the
buffers of every appointment the practitioner already holds. Candidate
starts step from the start of each working span (every 15 minutes by
default), so slots sit on the wall-clock grid the clinic expects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone

from aescrm.accounts.models import Clinic
from aescrm.core.problems import ValidationFailed
from aescrm.patients.models import Practitioner, Treatment
from aescrm.scheduling.schedule import (
    MAX_BUFFER,
    Schedule,
    Span,
    guarded_span,
    load_schedule,
    local_days,
    overlaps,
)

MAX_RANGE = dt.timedelta(days=31)


@dataclass(frozen=True)
class Slot:
    practitioner: Practitioner
    starts_at: dt.datetime  # UTC
    ends_at: dt.datetime  # UTC


def _aware_utc(moment: dt.datetime, field: str) -> dt.datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValidationFailed(
            "times need a time zone offset (e.g. 2026-05-01T09:00:00+01:00)", field=field
        )
    return moment.astimezone(dt.UTC)


def check_range(start: dt.datetime, end: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    start, end = _aware_utc(start, "from"), _aware_utc(end, "to")
    if end <= start:
        raise ValidationFailed("'to' must be after 'from'", field="to")
    if end - start > MAX_RANGE:
        raise ValidationFailed(
            f"ask for at most {MAX_RANGE.days} days of availability at a time", field="to"
        )
    return start, end


def free_slots(
    treatment: Treatment,
    start: dt.datetime,
    end: dt.datetime,
    practitioner: Practitioner | None = None,
    *,
    now: dt.datetime | None = None,
    practitioners: Sequence[Practitioner] | None = None,
) -> list[Slot]:
    """Slots starting in [start, end) for ``treatment``, by start time then practitioner.

    ``practitioner`` narrows the search to one; otherwise ``practitioners``
    (the ones the caller may see) or every active practitioner of the clinic.
    Runs inside the clinic's scope; nothing is written or audited (no
    patient data is read).
    """
    start, end = check_range(start, end)
    now = (now or timezone.now()).astimezone(dt.UTC)
    if practitioner is not None:
        people: Sequence[Practitioner] = [practitioner] if practitioner.active else []
    elif practitioners is not None:
        people = [p for p in practitioners if p.active]
    else:
        people = list(Practitioner.objects.filter(active=True).order_by("display_name"))
    earliest = max(start, now)
    if not people or earliest >= end:
        return []
    tz = Clinic.objects.get(pk=treatment.clinic_id).tz
    slots: list[Slot] = []
    try:
        schedule = load_schedule(practitioners=people, start=earliest, end=end, tz=tz)
        for person in people:
            slots.extend(_slots_of(schedule, person, treatment, earliest, end))
    except OverflowError as exc:  # the window touches the end of the calendar
        raise ValidationFailed("'to' is out of range", field="to") from exc
    slots.sort(key=lambda s: (s.starts_at, s.practitioner.display_name, str(s.practitioner.pk)))
    return slots


def _slots_of(
    schedule: Schedule,
    person: Practitioner,
    treatment: Treatment,
    earliest: dt.datetime,
    end: dt.datetime,
) -> list[Slot]:
    week = schedule.people[person.pk]
    length = dt.timedelta(minutes=treatment.duration_minutes)
    found: list[Slot] = []
    for day in local_days(earliest, end, schedule.tz):
        if day in schedule.closed:
            continue
        spans = schedule.working_spans(person.pk, day)
        if not spans:
            continue
        day_from, day_to = min(s for s, _ in spans), max(e for _, e in spans)
        # Only what can touch this day's hours is compared for each candidate.
        blocked: list[Span] = [
            b
            for b in schedule.break_spans(person.pk, day) + week.time_off
            if overlaps(b, (day_from, day_to))
        ]
        reach = length + 2 * MAX_BUFFER
        guards = [
            b.guarded
            for b in week.booked
            if overlaps(b.guarded, (day_from - reach, day_to + reach))
        ]
        for span_start, span_end in spans:
            moment = span_start
            while moment + length <= span_end:
                if earliest <= moment < end and _fits(
                    moment, moment + length, treatment, blocked, guards
                ):
                    found.append(Slot(person, moment, moment + length))
                moment += schedule.step
    return found


def _fits(
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    treatment: Treatment,
    blocked: list[Span],
    guards: list[Span],
) -> bool:
    if any(overlaps((starts_at, ends_at), b) for b in blocked):
        return False
    mine = guarded_span(
        starts_at, ends_at, treatment.buffer_before_minutes, treatment.buffer_after_minutes
    )
    return not any(overlaps(mine, g) for g in guards)
