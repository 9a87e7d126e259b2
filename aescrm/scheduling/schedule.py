"""The rules of one clinic's diary over a window, loaded once and asked many times.

Working hours and breaks are wall-clock times on a weekday; closures are
local dates. ``Schedule`` turns each of them into UTC intervals for a given
local day by building the local time in the clinic's zone (zoneinfo) and
converting, so on the days the clocks change a practitioner who works
09:00–17:00 still works 09:00–17:00 on the wall clock. Comparing is then
plain UTC arithmetic.

Both the free-slot search (``availability``) and the booking rules
(``rules``) read the same ``Schedule``, so what the calendar offers is
exactly what a booking accepts.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from aescrm.patients.models import HOLDS_TIME, Appointment, Practitioner, WorkingHours
from aescrm.scheduling.bank_holidays import bank_holidays_between
from aescrm.scheduling.models import (
    BankHolidayOpening,
    ClinicClosure,
    PractitionerBreak,
    ScheduleSettings,
    TimeOff,
)

Span = tuple[dt.datetime, dt.datetime]
# Treatment buffers are at most 4 hours (patients.Treatment constraint): how far
# beyond a window an appointment can still reach into it.
MAX_BUFFER = dt.timedelta(minutes=240)


def utc_at(day: dt.date, at: dt.time, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    """``day`` at wall-clock ``at`` in ``tz``, in UTC (a skipped time lands an hour later)."""
    return dt.datetime.combine(day, at, tzinfo=tz).astimezone(dt.UTC)


def local_days(start: dt.datetime, end: dt.datetime, tz: zoneinfo.ZoneInfo) -> list[dt.date]:
    """The clinic's local dates that [start, end) touches."""
    first = start.astimezone(tz).date()
    last = (end - dt.timedelta(microseconds=1)).astimezone(tz).date()
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@dataclass(frozen=True)
class Closed:
    code: str  # "closure" or "bank_holiday"
    name: str


@dataclass(frozen=True)
class Booked:
    """An appointment holding time, with the span its treatment's buffers keep clear."""

    appointment_id: uuid.UUID
    starts_at: dt.datetime
    ends_at: dt.datetime
    guarded: Span


@dataclass
class PractitionerWeek:
    practitioner: Practitioner
    hours: dict[int, list[tuple[dt.time, dt.time]]] = field(default_factory=dict)
    breaks: dict[int, list[tuple[dt.time, dt.time]]] = field(default_factory=dict)
    time_off: list[Span] = field(default_factory=list)
    booked: list[Booked] = field(default_factory=list)


@dataclass
class Schedule:
    tz: zoneinfo.ZoneInfo
    step: dt.timedelta
    closed: dict[dt.date, Closed]
    people: dict[uuid.UUID, PractitionerWeek]

    def working_spans(self, practitioner_id: uuid.UUID, day: dt.date) -> list[Span]:
        week = self.people[practitioner_id]
        return [
            (utc_at(day, s, self.tz), utc_at(day, e, self.tz))
            for s, e in week.hours.get(day.weekday(), [])
        ]

    def break_spans(self, practitioner_id: uuid.UUID, day: dt.date) -> list[Span]:
        week = self.people[practitioner_id]
        return [
            (utc_at(day, s, self.tz), utc_at(day, e, self.tz))
            for s, e in week.breaks.get(day.weekday(), [])
        ]


def guarded_span(
    starts_at: dt.datetime, ends_at: dt.datetime, before_minutes: int, after_minutes: int
) -> Span:
    return (
        starts_at - dt.timedelta(minutes=before_minutes),
        ends_at + dt.timedelta(minutes=after_minutes),
    )


def _by_weekday(
    rows: Iterable[WorkingHours | PractitionerBreak],
) -> dict[uuid.UUID, dict[int, list[tuple[dt.time, dt.time]]]]:
    out: dict[uuid.UUID, dict[int, list[tuple[dt.time, dt.time]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for row in rows:
        out[row.practitioner_id][row.weekday].append((row.starts, row.ends))
    return out


def settings_of_clinic() -> ScheduleSettings:
    """The active clinic's settings; the defaults (unsaved) until someone changes them."""
    return ScheduleSettings.objects.first() or ScheduleSettings()


def closed_days(
    first: dt.date, last: dt.date, settings: ScheduleSettings | None = None
) -> dict[dt.date, Closed]:
    """Local dates from ``first`` to ``last`` on which the active clinic is shut, and why."""
    closed: dict[dt.date, Closed] = {}
    if (settings or settings_of_clinic()).closed_on_bank_holidays:
        opened = set(
            BankHolidayOpening.objects.filter(day__gte=first, day__lte=last).values_list(
                "day", flat=True
            )
        )
        for day, name in bank_holidays_between(first, last).items():
            if day not in opened:
                closed[day] = Closed("bank_holiday", name)
    # A closure the clinic entered wins over the bank holiday's name.
    for closure in ClinicClosure.objects.filter(first_day__lte=last, last_day__gte=first):
        day = max(closure.first_day, first)
        while day <= min(closure.last_day, last):
            closed[day] = Closed("closure", closure.reason)
            day += dt.timedelta(days=1)
    return closed


def load_schedule(
    *,
    practitioners: Sequence[Practitioner],
    start: dt.datetime,
    end: dt.datetime,
    tz: zoneinfo.ZoneInfo,
    exclude_appointment: uuid.UUID | None = None,
) -> Schedule:
    """Everything that decides who is free in [start, end), in a fixed number of queries."""
    ids = [p.pk for p in practitioners]
    # One local day either side: a day's hours are reached from its own date.
    days = local_days(start, end, tz)
    first, last = days[0] - dt.timedelta(days=1), days[-1] + dt.timedelta(days=1)
    hours = _by_weekday(WorkingHours.objects.filter(practitioner_id__in=ids))
    breaks = _by_weekday(PractitionerBreak.objects.filter(practitioner_id__in=ids))
    reach_from, reach_to = start - dt.timedelta(days=1), end + dt.timedelta(days=1)
    people = {
        p.pk: PractitionerWeek(
            practitioner=p, hours=dict(hours.get(p.pk, {})), breaks=dict(breaks.get(p.pk, {}))
        )
        for p in practitioners
    }
    for off in TimeOff.objects.filter(
        practitioner_id__in=ids, starts_at__lt=reach_to, ends_at__gt=reach_from
    ).only("practitioner_id", "starts_at", "ends_at"):
        people[off.practitioner_id].time_off.append((off.starts_at, off.ends_at))
    appointments = Appointment.objects.filter(
        practitioner_id__in=ids,
        status__in=HOLDS_TIME,
        starts_at__lt=reach_to + MAX_BUFFER,
        ends_at__gt=reach_from - MAX_BUFFER,
    )
    if exclude_appointment is not None:
        appointments = appointments.exclude(pk=exclude_appointment)
    rows = appointments.values_list(
        "pk",
        "practitioner_id",
        "starts_at",
        "ends_at",
        "treatment__buffer_before_minutes",
        "treatment__buffer_after_minutes",
    )
    for pk, pid, starts_at, ends_at, before, after in rows:
        people[pid].booked.append(
            Booked(pk, starts_at, ends_at, guarded_span(starts_at, ends_at, before, after))
        )
    settings = settings_of_clinic()
    return Schedule(
        tz=tz,
        step=dt.timedelta(minutes=settings.slot_step_minutes),
        closed=closed_days(first, last, settings),
        people=people,
    )
