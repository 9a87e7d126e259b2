"""A booking in the past, on a day off, outside hours, in a break, in time off, on a
closure or a bank holiday is refused with a reason naming which; nothing is booked."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from aescrm.core.problems import Conflict, ValidationFailed
from aescrm.core.tenancy import clinic_scope
from aescrm.patients import services
from aescrm.patients.models import Appointment
from aescrm.scheduling.models import (
    ClinicClosure,
    PractitionerBreak,
    ScheduleSettings,
    TimeOff,
)
from aescrm.scheduling.tests.support import LONDON, local, make_practitioner, make_treatment

pytestmark = pytest.mark.django_db


def _next(weekday: int, weeks: int = 1) -> dt.date:
    """A coming date with this weekday (0 = Monday), at least a week away."""
    today = dt.datetime.now(LONDON).date()
    return today + dt.timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks)


@pytest.fixture
def smith(clinic_a: Any) -> Any:
    return make_practitioner(clinic_a, "Dr Smith")  # Monday to Friday, 09:00–17:00


def _book(world: Any, practitioner: Any, starts_at: dt.datetime, **extra: Any) -> Appointment:
    patient = world.make_patient(email=f"p{starts_at.timestamp():.0f}@example.com")
    with clinic_scope(world.clinic.pk):
        return services.appointment_book(
            caller=world.caller("receptionist"),
            patient=patient,
            treatment=make_treatment(world, name=f"T{starts_at.timestamp():.0f}"),
            practitioner=practitioner,
            starts_at=starts_at,
            **extra,
        )


def _refusal(world: Any, practitioner: Any, starts_at: dt.datetime) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as refused:
        _book(world, practitioner, starts_at)
    with clinic_scope(world.clinic.pk):
        assert not Appointment.objects.filter(practitioner=practitioner).exists()
    assert refused.value.field == "starts_at"
    return refused.value


def test_a_day_the_practitioner_does_not_work(clinic_a: Any, smith: Any) -> None:
    refused = _refusal(clinic_a, smith, local(_next(6), 10))

    assert refused.detail == "Dr Smith does not work on Sundays"
    assert refused.extra["rule"] == "not_working"


def test_a_time_outside_the_practitioners_hours(clinic_a: Any, smith: Any) -> None:
    refused = _refusal(clinic_a, smith, local(_next(0), 16, 45))

    assert refused.detail == (
        "Dr Smith works 09:00–17:00 on Mondays; 16:45–17:15 is outside those hours"
    )
    assert refused.extra["rule"] == "outside_hours"


def test_a_time_in_a_break(clinic_a: Any, smith: Any) -> None:
    with clinic_scope(clinic_a.clinic.pk):
        PractitionerBreak.objects.create(
            practitioner=smith, weekday=2, starts=dt.time(13), ends=dt.time(14)
        )

    refused = _refusal(clinic_a, smith, local(_next(2), 12, 45))

    assert refused.detail == "Dr Smith has a break from 13:00 to 14:00 on Wednesdays"
    assert refused.extra["rule"] == "break"


def test_a_time_in_time_off(clinic_a: Any, smith: Any) -> None:
    monday = _next(0)
    with clinic_scope(clinic_a.clinic.pk):
        TimeOff.objects.create(
            practitioner=smith,
            starts_at=local(monday, 9),
            ends_at=local(monday + dt.timedelta(days=4), 17),
            reason="Annual leave",
        )

    refused = _refusal(clinic_a, smith, local(monday + dt.timedelta(days=2), 10))

    first, last = monday, monday + dt.timedelta(days=4)
    assert refused.detail == (
        f"Dr Smith is away from 09:00 on {first.day} {first:%B %Y} "
        f"to 17:00 on {last.day} {last:%B %Y}"
    )
    assert "Annual leave" not in refused.detail  # why staff are away stays private
    assert refused.extra["rule"] == "time_off"


def test_a_clinic_closure_names_its_reason(clinic_a: Any, smith: Any) -> None:
    day = _next(3)
    with clinic_scope(clinic_a.clinic.pk):
        ClinicClosure.objects.create(first_day=day, last_day=day, reason="Staff training")

    refused = _refusal(clinic_a, smith, local(day, 10))

    assert refused.detail == f"the clinic is closed on {day.day} {day:%B %Y} (Staff training)"
    assert refused.extra["rule"] == "closure"


def test_a_bank_holiday_names_the_holiday(clinic_a: Any) -> None:
    """Christmas Day 2026 is a Friday; the clinic closes on bank holidays (the default)."""
    with clinic_scope(clinic_a.clinic.pk):
        ScheduleSettings.objects.update(closed_on_bank_holidays=True)
    # The fixture's Dr Test works every day 08:00–20:00.
    refused = _refusal(
        clinic_a, clinic_a.practitioner, dt.datetime(2026, 12, 25, 10, tzinfo=LONDON)
    )

    assert refused.detail == "the clinic is closed on 25 December 2026 (Christmas Day)"
    assert refused.extra["rule"] == "bank_holiday"


def test_a_start_in_the_past(clinic_a: Any) -> None:
    starts = (timezone.now() - dt.timedelta(hours=1)).astimezone(LONDON)

    refused = _refusal(clinic_a, clinic_a.practitioner, starts)

    assert refused.detail.startswith(f"that time has passed ({starts:%H:%M} on ")
    assert refused.extra["rule"] == "past"


def test_every_broken_rule_is_listed(clinic_a: Any, smith: Any) -> None:
    """A past Sunday: both rules are listed, the most telling first."""
    today = dt.datetime.now(LONDON).date()
    last_sunday = today - dt.timedelta(days=(today.weekday() + 1) % 7 or 7)

    refused = _refusal(clinic_a, smith, local(last_sunday, 10))

    assert [r["rule"] for r in refused.extra["refusals"]] == ["past", "not_working"]


def test_the_next_free_time_is_accepted(clinic_a: Any, smith: Any) -> None:
    booked = _book(clinic_a, smith, local(_next(0), 16, 30))

    assert booked.ends_at == local(_next(0), 17)


def test_buffers_keep_bookings_apart_and_no_override_lifts_that(clinic_a: Any, smith: Any) -> None:
    """A treatment needing 15 minutes to clear away: the next booking cannot start sooner,
    even for a manager who overrides the rules."""
    monday = _next(0)
    peel = make_treatment(clinic_a, name="Peel", after=15)
    patient = clinic_a.make_patient(email="peel@example.com")
    with clinic_scope(clinic_a.clinic.pk):
        first = services.appointment_book(
            caller=clinic_a.caller(),
            patient=patient,
            treatment=peel,
            practitioner=smith,
            starts_at=local(monday, 10),
        )
        with pytest.raises(Conflict) as clash:
            services.appointment_book(
                caller=clinic_a.caller("manager"),
                patient=patient,
                treatment=peel,
                practitioner=smith,
                starts_at=local(monday, 10, 35),
                override=True,
                override_reason="Squeeze her in",
            )
        assert Appointment.objects.count() == 1
    assert clash.value.field == "starts_at"
    assert clash.value.extra["conflicting_appointment"] == str(first.pk)
    assert "10:00–10:30" in clash.value.detail
