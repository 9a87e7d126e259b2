"""Changes to the clinic's diary rules: hours, breaks, time off, closures, bank holidays.

Owners and managers only (``Perm.SCHEDULE_MANAGE``); every change is audited
and atomic. Appointments already booked are never moved or cancelled here:
the functions that can strand them return how many are affected, so the page
can say so.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import IntegrityError, transaction

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Clinic
from aescrm.accounts.permissions import Perm
from aescrm.audit.services import audit_record
from aescrm.core.problems import NotFound, ValidationFailed
from aescrm.core.tenancy import current_clinic_id
from aescrm.patients.models import HOLDS_TIME, Appointment, Practitioner, Treatment, WorkingHours
from aescrm.scheduling.models import (
    BankHolidayOpening,
    ClinicClosure,
    PractitionerBreak,
    ScheduleSettings,
    TimeOff,
)
from aescrm.scheduling.schedule import utc_at

REASON_MAX = 120
LONGEST_CLOSURE = dt.timedelta(days=366)


def _text(value: str, field: str, limit: int, *, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed("say why", field=field)
    if len(value) > limit or "\x00" in value:
        raise ValidationFailed(
            f"{field} must be plain text of at most {limit} characters", field=field
        )
    return value


def _uuid(value: Any, label: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise NotFound(f"no such {label}") from exc


def settings_get() -> ScheduleSettings:
    """The clinic's row, created with the defaults on first change."""
    found = ScheduleSettings.objects.first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return ScheduleSettings.objects.create()
    except IntegrityError:  # created by a concurrent request
        return ScheduleSettings.objects.get()


def settings_update(
    *,
    caller: Caller,
    closed_on_bank_holidays: bool | None = None,
    slot_step_minutes: int | None = None,
) -> list[str]:
    caller.require(Perm.SCHEDULE_MANAGE)
    changed = []
    with transaction.atomic():
        settings = settings_get()
        if (
            closed_on_bank_holidays is not None
            and closed_on_bank_holidays != settings.closed_on_bank_holidays
        ):
            settings.closed_on_bank_holidays = closed_on_bank_holidays
            changed.append("closed_on_bank_holidays")
        if slot_step_minutes is not None and slot_step_minutes != settings.slot_step_minutes:
            if not 5 <= slot_step_minutes <= 120:
                raise ValidationFailed(
                    "offer slots every 5 to 120 minutes", field="slot_step_minutes"
                )
            settings.slot_step_minutes = slot_step_minutes
            changed.append("slot_step_minutes")
        if changed:
            settings.save()
            audit_record(
                "schedule.settings.update", object_type="schedule", detail={"fields": changed}
            )
    return changed


def bank_holiday_set_open(*, caller: Caller, day: dt.date, is_open: bool) -> None:
    """Open (or close again) on one bank holiday while the clinic closes on the others."""
    caller.require(Perm.SCHEDULE_MANAGE)
    with transaction.atomic():
        if is_open:
            BankHolidayOpening.objects.get_or_create(day=day)
        else:
            BankHolidayOpening.objects.filter(day=day).delete()
        audit_record(
            "schedule.bank_holiday.open" if is_open else "schedule.bank_holiday.close",
            object_type="schedule",
            detail={"day": day.isoformat()},
        )


def _booked_between(start: dt.datetime, end: dt.datetime, practitioner: Any = None) -> int:
    rows = Appointment.objects.filter(status__in=HOLDS_TIME, starts_at__lt=end, ends_at__gt=start)
    if practitioner is not None:
        rows = rows.filter(practitioner=practitioner)
    return rows.count()


def closure_add(
    *, caller: Caller, first_day: dt.date, last_day: dt.date, reason: str
) -> tuple[ClinicClosure, int]:
    """The closure, and how many appointments are already booked on its days."""
    caller.require(Perm.SCHEDULE_MANAGE)
    reason = _text(reason, "reason", REASON_MAX, required=True)
    if last_day < first_day:
        raise ValidationFailed("the last day must not be before the first", field="last_day")
    if last_day - first_day > LONGEST_CLOSURE:
        raise ValidationFailed("a closure can last at most a year", field="last_day")
    tz = Clinic.objects.get(pk=current_clinic_id()).tz
    with transaction.atomic():
        closure = ClinicClosure.objects.create(
            first_day=first_day, last_day=last_day, reason=reason
        )
        audit_record("schedule.closure.create", object_type="closure", object_id=closure.pk)
    stranded = _booked_between(
        utc_at(first_day, dt.time(0), tz), utc_at(last_day + dt.timedelta(days=1), dt.time(0), tz)
    )
    return closure, stranded


def closure_remove(*, caller: Caller, closure_id: Any) -> None:
    caller.require(Perm.SCHEDULE_MANAGE)
    with transaction.atomic():
        closure = ClinicClosure.objects.filter(pk=_uuid(closure_id, "closure")).first()
        if closure is None:
            raise NotFound("no such closure")
        audit_record("schedule.closure.delete", object_type="closure", object_id=closure.pk)
        closure.delete()


def practitioner_get(practitioner_id: Any) -> Practitioner:
    found = Practitioner.objects.filter(pk=_uuid(practitioner_id, "practitioner")).first()
    if found is None:
        raise NotFound("no such practitioner", field="practitioner")
    return found


def day_set(
    *,
    caller: Caller,
    practitioner: Practitioner,
    weekday: int,
    starts: dt.time | None,
    ends: dt.time | None,
    break_starts: dt.time | None = None,
    break_ends: dt.time | None = None,
) -> list[str]:
    """One weekday's hours and break (both None: not working). Returns what changed."""
    caller.require(Perm.SCHEDULE_MANAGE)
    field = f"day_{weekday}"
    if not 0 <= weekday <= 6:
        raise ValidationFailed("weekday must be 0 (Monday) to 6 (Sunday)", field="weekday")
    if (starts is None) != (ends is None):
        raise ValidationFailed("give both a start and an end, or neither", field=field)
    if starts is not None and ends is not None and ends <= starts:
        raise ValidationFailed("the day must end after it starts", field=field)
    if (break_starts is None) != (break_ends is None):
        raise ValidationFailed("give the break a start and an end, or neither", field=field)
    if break_starts is not None and break_ends is not None:
        if starts is None or ends is None:
            raise ValidationFailed("a break needs working hours around it", field=field)
        if break_ends <= break_starts:
            raise ValidationFailed("the break must end after it starts", field=field)
        if break_starts <= starts or break_ends >= ends:
            raise ValidationFailed("the break must fall inside the working hours", field=field)
    hours_now = [(h.starts, h.ends) for h in practitioner.working_hours.filter(weekday=weekday)]
    breaks_now = [
        (b.starts, b.ends)
        for b in PractitionerBreak.objects.filter(practitioner=practitioner, weekday=weekday)
    ]
    hours_new = [(starts, ends)] if starts and ends else []
    breaks_new = [(break_starts, break_ends)] if break_starts and break_ends else []
    changed = []
    with transaction.atomic():
        if sorted(hours_now) != hours_new:
            WorkingHours.objects.filter(practitioner=practitioner, weekday=weekday).delete()
            for s, e in hours_new:
                WorkingHours.objects.create(
                    practitioner=practitioner, weekday=weekday, starts=s, ends=e
                )
            changed.append("hours")
        if sorted(breaks_now) != breaks_new:
            PractitionerBreak.objects.filter(practitioner=practitioner, weekday=weekday).delete()
            for s, e in breaks_new:
                PractitionerBreak.objects.create(
                    practitioner=practitioner, weekday=weekday, starts=s, ends=e
                )
            changed.append("breaks")
        if changed:
            audit_record(
                "schedule.hours.update",
                object_type="practitioner",
                object_id=practitioner.pk,
                detail={"weekday": weekday, "fields": changed},
            )
    return changed


DaySpec = tuple[dt.time | None, dt.time | None, dt.time | None, dt.time | None]


def week_set(*, caller: Caller, practitioner: Practitioner, days: dict[int, DaySpec]) -> list[str]:
    """Several weekdays at once (start, end, break start, break end): all or nothing."""
    changed = []
    with transaction.atomic():
        for weekday, (starts, ends, break_starts, break_ends) in sorted(days.items()):
            if day_set(
                caller=caller,
                practitioner=practitioner,
                weekday=weekday,
                starts=starts,
                ends=ends,
                break_starts=break_starts,
                break_ends=break_ends,
            ):
                changed.append(weekday)
    return [str(d) for d in changed]


def time_off_add(
    *,
    caller: Caller,
    practitioner: Practitioner,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    reason: str = "",
) -> tuple[TimeOff, int]:
    """The time off, and how many of the practitioner's appointments it covers."""
    caller.require(Perm.SCHEDULE_MANAGE)
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise ValidationFailed("times need a time zone", field="starts_at")
    if ends_at <= starts_at:
        raise ValidationFailed("time off must end after it starts", field="ends_at")
    if ends_at - starts_at > LONGEST_CLOSURE:
        raise ValidationFailed("time off can last at most a year at a time", field="ends_at")
    reason = _text(reason, "reason", REASON_MAX, required=False)
    with transaction.atomic():
        off = TimeOff.objects.create(
            practitioner=practitioner,
            starts_at=starts_at.astimezone(dt.UTC),
            ends_at=ends_at.astimezone(dt.UTC),
            reason=reason or None,
        )
        audit_record(
            "schedule.time_off.create",
            object_type="practitioner",
            object_id=practitioner.pk,
            detail={"time_off": str(off.pk)},
        )
    return off, _booked_between(starts_at, ends_at, practitioner)


def time_off_remove(*, caller: Caller, time_off_id: Any) -> None:
    caller.require(Perm.SCHEDULE_MANAGE)
    with transaction.atomic():
        off = TimeOff.objects.filter(pk=_uuid(time_off_id, "time off")).first()
        if off is None:
            raise NotFound("no such time off")
        audit_record(
            "schedule.time_off.delete",
            object_type="practitioner",
            object_id=off.practitioner_id,
            detail={"time_off": str(off.pk)},
        )
        off.delete()


def treatment_get(treatment_id: Any) -> Treatment:
    found = Treatment.objects.filter(pk=_uuid(treatment_id, "treatment")).first()
    if found is None:
        raise NotFound("no such treatment", field="treatment")
    return found


def treatment_buffers_set(
    *, caller: Caller, treatment: Treatment, before_minutes: int, after_minutes: int
) -> list[str]:
    """Time kept clear before and after the treatment (setting up, clearing away)."""
    caller.require(Perm.CATALOGUE_EDIT)
    changed = []
    for field, value in (
        ("buffer_before_minutes", before_minutes),
        ("buffer_after_minutes", after_minutes),
    ):
        if not 0 <= value <= 240:
            raise ValidationFailed("a buffer is 0 to 240 minutes", field=field)
        if getattr(treatment, field) != value:
            setattr(treatment, field, value)
            changed.append(field)
    if changed:
        with transaction.atomic():
            treatment.save(update_fields=changed)
            audit_record(
                "treatment.update",
                object_type="treatment",
                object_id=treatment.pk,
                detail={"fields": changed},
            )
    return changed
