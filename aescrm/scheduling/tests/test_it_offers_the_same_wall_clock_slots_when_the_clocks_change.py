"""A practitioner working 09:00–17:00 has slots 09:00–17:00 on the wall clock on the
days the clocks change, and the UTC times move by the hour."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aescrm.core.tenancy import clinic_scope
from aescrm.scheduling.availability import free_slots
from aescrm.scheduling.tests.support import (
    LONG_AGO,
    local,
    local_starts,
    make_practitioner,
    make_treatment,
)

pytestmark = pytest.mark.django_db

EVERY_QUARTER_HOUR = [f"{h:02d}:{m:02d}" for h in range(9, 17) for m in (0, 15, 30, 45)]
CHANGE_DAYS = [
    # (day, UTC hour of 09:00 local on the day before, on the day)
    (dt.date(2026, 3, 29), 9, 8),  # clocks go forward: GMT -> BST
    (dt.date(2026, 10, 25), 8, 9),  # clocks go back: BST -> GMT
    (dt.date(2027, 3, 28), 9, 8),
    (dt.date(2027, 10, 31), 8, 9),
]


@pytest.mark.parametrize(("day", "utc_before", "utc_on"), CHANGE_DAYS)
def test_slots_run_nine_to_five_local_on_a_clock_change_day(
    clinic_a: Any, day: dt.date, utc_before: int, utc_on: int
) -> None:
    """Sunday and the Saturday before: 30-minute slots every 15 minutes, 09:00 to 16:30."""
    practitioner = make_practitioner(clinic_a, days=range(7))
    treatment = make_treatment(clinic_a)
    before = day - dt.timedelta(days=1)

    with clinic_scope(clinic_a.clinic.pk):
        slots_on = free_slots(treatment, local(day, 0), local(day, 23), practitioner, now=LONG_AGO)
        slots_before = free_slots(
            treatment, local(before, 0), local(before, 23), practitioner, now=LONG_AGO
        )

    assert local_starts(slots_on) == EVERY_QUARTER_HOUR[:-1]  # the last one would end 17:15
    assert local_starts(slots_before) == EVERY_QUARTER_HOUR[:-1]
    assert slots_on[0].starts_at == dt.datetime.combine(day, dt.time(utc_on), tzinfo=dt.UTC)
    assert slots_before[0].starts_at == dt.datetime.combine(
        before, dt.time(utc_before), tzinfo=dt.UTC
    )
    assert slots_on[-1].ends_at.astimezone(local(day, 0).tzinfo).time() == dt.time(17)
    assert all(s.ends_at - s.starts_at == dt.timedelta(minutes=30) for s in slots_on)


def test_a_week_across_the_change_has_the_same_slots_every_day(clinic_a: Any) -> None:
    """23 March to 5 April 2026 (the change falls inside): 31 slots every day, all 09:00-16:30."""
    practitioner = make_practitioner(clinic_a, days=range(7))
    treatment = make_treatment(clinic_a)
    first = dt.date(2026, 3, 23)

    with clinic_scope(clinic_a.clinic.pk):
        slots = free_slots(
            treatment,
            local(first, 0),
            local(first + dt.timedelta(days=14), 0),
            practitioner,
            now=LONG_AGO,
        )

    by_day: dict[dt.date, list[str]] = {}
    for s in slots:
        by_day.setdefault(s.starts_at.astimezone(local(first, 0).tzinfo).date(), []).append(
            f"{s.starts_at.astimezone(local(first, 0).tzinfo):%H:%M}"
        )
    assert len(by_day) == 14
    assert all(times == EVERY_QUARTER_HOUR[:-1] for times in by_day.values())
