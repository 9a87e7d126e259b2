"""Reads for availability: what a caller may search, and parsing the window asked for."""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from typing import Any

from django.utils import timezone

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Clinic
from aescrm.core.problems import NotFound, ValidationFailed
from aescrm.core.tenancy import current_clinic_id
from aescrm.patients import calendar
from aescrm.patients.models import Practitioner, Treatment
from aescrm.scheduling.availability import Slot, free_slots

DEFAULT_DAYS = 7


def parse_moment(value: str, *, field: str, tz: zoneinfo.ZoneInfo, day_end: bool) -> dt.datetime:
    """An ISO date (clinic day: its start, or with ``day_end`` the next day's start) or an
    ISO datetime with an offset."""
    text = (value or "").strip()
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            if day_end:
                day += dt.timedelta(days=1)
            return dt.datetime.combine(day, dt.time(0), tzinfo=tz)
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, OverflowError) as exc:
        raise ValidationFailed(
            f"{field} must be a date like 2026-05-01 or a time like 2026-05-01T09:00:00+01:00",
            field=field,
        ) from exc
    if moment.tzinfo is None:
        raise ValidationFailed(
            "times need a time zone offset (e.g. 2026-05-01T09:00:00+01:00)", field=field
        )
    return moment


def availability(
    *,
    caller: Caller,
    treatment_id: Any,
    start: str | None,
    end: str | None,
    practitioner_id: Any = None,
    now: dt.datetime | None = None,
) -> tuple[Treatment, list[Slot]]:
    """Free slots the caller may see (a clinician: only their own), for the API and the UI."""
    practitioners = calendar.practitioners_for(caller)  # requires APPOINTMENT_VIEW
    tz = Clinic.objects.get(pk=current_clinic_id()).tz
    treatment = _treatment(treatment_id)
    chosen: Practitioner | None = None
    if practitioner_id:
        try:
            chosen = calendar.practitioner_get(caller=caller, practitioner_id=practitioner_id)
        except NotFound as exc:  # another clinic's, inactive or not the caller's
            raise ValidationFailed(
                "no such practitioner in this clinic", field="practitioner"
            ) from exc
    now = now or timezone.now()
    begin = parse_moment(start, field="from", tz=tz, day_end=False) if start else now
    finish = (
        parse_moment(end, field="to", tz=tz, day_end=True)
        if end
        else begin + dt.timedelta(days=DEFAULT_DAYS)
    )
    slots = free_slots(
        treatment, begin, finish, chosen, now=now, practitioners=None if chosen else practitioners
    )
    return treatment, slots


def _treatment(treatment_id: Any) -> Treatment:
    if not treatment_id:
        raise ValidationFailed("choose a treatment", field="treatment")
    try:
        pk = uuid.UUID(str(treatment_id))
    except ValueError as exc:
        raise ValidationFailed("no such treatment in this clinic", field="treatment") from exc
    treatment = Treatment.objects.filter(pk=pk).first()
    if treatment is None:
        raise ValidationFailed("no such treatment in this clinic", field="treatment")
    if not treatment.active:
        raise ValidationFailed(f"{treatment.name} is no longer offered", field="treatment")
    return treatment
