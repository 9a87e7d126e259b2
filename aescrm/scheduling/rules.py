"""Booking rules: may this practitioner be booked for this time?

``check_bookable`` is called by ``patients.services.appointment_book`` and
``appointment_update`` (inside their transaction, after the practitioner's
row lock), so the calendar, the API and the chatbot all get the same rules:

- never: a clash with another appointment, buffers included (``Conflict``);
- unless permitted staff override with a reason: a start in the past, a
  closed day (closure or bank holiday), a day the practitioner does not
  work, a time outside their hours, in a break or in time off
  (``ValidationFailed`` naming the first broken rule; all are listed).

An override is kept as a ``BookingOverride`` (the reason encrypted) and
audited with the codes of the rules set aside.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from dataclasses import dataclass, field

from django.utils import timezone

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Clinic
from aescrm.accounts.permissions import Perm
from aescrm.audit.services import audit_record
from aescrm.core.problems import Conflict, ValidationFailed
from aescrm.patients.models import Appointment, Practitioner, Treatment
from aescrm.scheduling.models import BookingOverride
from aescrm.scheduling.schedule import (
    Schedule,
    guarded_span,
    load_schedule,
    local_days,
    overlaps,
)

# A booking for "now" entered a few minutes late is not in the past.
PAST_GRACE = dt.timedelta(minutes=5)
OVERRIDE_REASON_MAX = 500
WEEKDAYS = ["Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays"]


@dataclass(frozen=True)
class Refusal:
    code: str
    detail: str


def long_date(day: dt.date) -> str:
    """25 December 2026."""
    return f"{day.day} {day:%B %Y}"


def _hm(moment: dt.datetime, tz: zoneinfo.ZoneInfo) -> str:
    return f"{moment.astimezone(tz):%H:%M}"


def _spans_text(spans: list[tuple[dt.time, dt.time]]) -> str:
    return ", ".join(f"{s:%H:%M}–{e:%H:%M}" for s, e in sorted(spans))


def refusals(
    schedule: Schedule,
    practitioner: Practitioner,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    *,
    now: dt.datetime,
    kept_start: dt.datetime | None = None,
) -> list[Refusal]:
    """Every rule [starts_at, ends_at) breaks, most telling first; empty when bookable.

    ``kept_start``: the start an appointment already had; keeping it (a longer
    visit, another practitioner) is not a new start in the past.
    """
    tz, name = schedule.tz, practitioner.display_name
    found: list[Refusal] = []
    local_start = starts_at.astimezone(tz)
    if starts_at < now - PAST_GRACE and starts_at != kept_start:
        found.append(
            Refusal(
                "past",
                f"that time has passed ({local_start:%H:%M} on {local_start:%A} "
                f"{long_date(local_start.date())})",
            )
        )
    for day in local_days(starts_at, ends_at, tz):
        closed = schedule.closed.get(day)
        if closed is not None:
            found.append(
                Refusal(closed.code, f"the clinic is closed on {long_date(day)} ({closed.name})")
            )
    week = schedule.people[practitioner.pk]
    day = local_start.date()
    spans = schedule.working_spans(practitioner.pk, day)
    if not spans:
        found.append(Refusal("not_working", f"{name} does not work on {WEEKDAYS[day.weekday()]}"))
    elif not any(s <= starts_at and ends_at <= e for s, e in spans):
        found.append(
            Refusal(
                "outside_hours",
                f"{name} works {_spans_text(week.hours[day.weekday()])} on "
                f"{WEEKDAYS[day.weekday()]}; {_hm(starts_at, tz)}–{_hm(ends_at, tz)} "
                "is outside those hours",
            )
        )
    for b_start, b_end in schedule.break_spans(practitioner.pk, day):
        if overlaps((starts_at, ends_at), (b_start, b_end)):
            found.append(
                Refusal(
                    "break",
                    f"{name} has a break from {_hm(b_start, tz)} to {_hm(b_end, tz)} "
                    f"on {WEEKDAYS[day.weekday()]}",
                )
            )
    for off_start, off_end in week.time_off:
        if overlaps((starts_at, ends_at), (off_start, off_end)):
            a, b = off_start.astimezone(tz), off_end.astimezone(tz)
            found.append(
                Refusal(
                    "time_off",
                    f"{name} is away from {a:%H:%M} on {long_date(a.date())} "
                    f"to {b:%H:%M} on {long_date(b.date())}",
                )
            )
    return found


def _buffer_clash(
    schedule: Schedule,
    practitioner: Practitioner,
    treatment: Treatment,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
) -> None:
    mine = guarded_span(
        starts_at, ends_at, treatment.buffer_before_minutes, treatment.buffer_after_minutes
    )
    for booked in schedule.people[practitioner.pk].booked:
        if overlaps(mine, booked.guarded):
            tz = schedule.tz
            raise Conflict(
                f"{practitioner.display_name} has an appointment at "
                f"{_hm(booked.starts_at, tz)}–{_hm(booked.ends_at, tz)} and the treatments "
                "need that time clear before and after them (buffers)",
                field="starts_at",
                conflicting_appointment=str(booked.appointment_id),
            )


@dataclass
class Permit:
    """What ``check_bookable`` allowed; ``record`` keeps an override once the row exists."""

    caller: Caller
    rules: list[str] = field(default_factory=list)
    reason: str = ""

    def record(self, appointment: Appointment) -> None:
        if not self.rules:
            return
        override = BookingOverride.objects.create(
            appointment=appointment, rules=self.rules, reason=self.reason, by_id=self.caller.user_id
        )
        audit_record(
            "appointment.override",
            object_type="appointment",
            object_id=appointment.pk,
            detail={
                "rules": self.rules,
                "override": str(override.pk),
                "patient": str(appointment.patient_id),
            },
        )


def check_bookable(
    *,
    caller: Caller,
    practitioner: Practitioner,
    treatment: Treatment,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    exclude: uuid.UUID | None = None,
    apply_rules: bool = True,
    kept_start: dt.datetime | None = None,
    override: bool = False,
    override_reason: str | None = None,
    now: dt.datetime | None = None,
) -> Permit:
    """Refuse a clash (always) or a broken rule (unless overridden); see the module docstring."""
    now = now or timezone.now()
    tz = Clinic.objects.get(pk=practitioner.clinic_id).tz
    try:
        schedule = load_schedule(
            practitioners=[practitioner],
            start=starts_at,
            end=ends_at,
            tz=tz,
            exclude_appointment=exclude,
        )
    except OverflowError as exc:  # a day either side falls off the calendar
        raise ValidationFailed("starts_at is out of range", field="starts_at") from exc
    _buffer_clash(schedule, practitioner, treatment, starts_at, ends_at)
    broken = (
        refusals(schedule, practitioner, starts_at, ends_at, now=now, kept_start=kept_start)
        if apply_rules
        else []
    )
    if not broken:
        return Permit(caller)
    if not override:
        raise ValidationFailed(
            broken[0].detail,
            field="starts_at",
            rule=broken[0].code,
            refusals=[{"rule": r.code, "detail": r.detail} for r in broken],
        )
    caller.require(Perm.APPOINTMENT_OVERRIDE)
    reason = (override_reason or "").strip()
    if not reason:
        raise ValidationFailed(
            f"say why the booking rules are set aside ({broken[0].detail})",
            field="override_reason",
        )
    if len(reason) > OVERRIDE_REASON_MAX or "\x00" in reason:
        raise ValidationFailed(
            f"override_reason must be plain text of at most {OVERRIDE_REASON_MAX} characters",
            field="override_reason",
        )
    return Permit(caller, [r.code for r in broken], reason)
