"""A practitioner with ordinary hours, for tests of the scheduling rules."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Practitioner, Treatment, WorkingHours

LONDON = zoneinfo.ZoneInfo("Europe/London")
# Before every date the tests look at, so nothing is "in the past".
LONG_AGO = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def make_practitioner(
    world: Any,
    name: str = "Dr Smith",
    *,
    days: range | list[int] = range(5),
    starts: dt.time = dt.time(9),
    ends: dt.time = dt.time(17),
) -> Practitioner:
    """A practitioner working ``starts``–``ends`` (clinic time) on ``days`` (0 = Monday)."""
    with clinic_scope(world.clinic.pk):
        practitioner = Practitioner.objects.create(display_name=name, profession="Dentist")
        for day in days:
            WorkingHours.objects.create(
                practitioner=practitioner, weekday=day, starts=starts, ends=ends
            )
    return practitioner


def make_treatment(
    world: Any, name: str = "Check-up", minutes: int = 30, before: int = 0, after: int = 0
) -> Treatment:
    with clinic_scope(world.clinic.pk):
        return Treatment.objects.create(
            name=name,
            duration_minutes=minutes,
            price_pence=5000,
            buffer_before_minutes=before,
            buffer_after_minutes=after,
        )


def local_starts(slots: list[Any]) -> list[str]:
    """Slot starts as the clinic's wall clock shows them, e.g. "09:15"."""
    return [f"{s.starts_at.astimezone(LONDON):%H:%M}" for s in slots]
