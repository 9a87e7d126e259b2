"""Free slots skip breaks, time off, clinic closures, bank holidays (unless the clinic
opens), booked appointments with their buffers, and the past."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aescrm.core.problems import ValidationFailed
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Appointment
from aescrm.scheduling.availability import free_slots
from aescrm.scheduling.models import (
    BankHolidayOpening,
    ClinicClosure,
    PractitionerBreak,
    ScheduleSettings,
    TimeOff,
)
from aescrm.scheduling.tests.support import (
    LONG_AGO,
    local,
    local_starts,
    make_practitioner,
    make_treatment,
)

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2027, 6, 7)


def _slots(world: Any, treatment: Any, practitioner: Any, day: dt.date = MONDAY) -> list[str]:
    with clinic_scope(world.clinic.pk):
        return local_starts(
            free_slots(treatment, local(day, 0), local(day, 23), practitioner, now=LONG_AGO)
        )


def test_a_lunch_break_removes_the_slots_that_would_run_into_it(clinic_a: Any) -> None:
    practitioner = make_practitioner(clinic_a, starts=dt.time(12), ends=dt.time(15))
    treatment = make_treatment(clinic_a)
    with clinic_scope(clinic_a.clinic.pk):
        PractitionerBreak.objects.create(
            practitioner=practitioner, weekday=0, starts=dt.time(13), ends=dt.time(14)
        )

    assert _slots(clinic_a, treatment, practitioner) == [
        "12:00", "12:15", "12:30", "14:00", "14:15", "14:30",
    ]  # fmt: skip


def test_time_off_removes_the_slots_it_covers(clinic_a: Any) -> None:
    practitioner = make_practitioner(clinic_a, starts=dt.time(9), ends=dt.time(11))
    treatment = make_treatment(clinic_a, minutes=60)
    with clinic_scope(clinic_a.clinic.pk):
        TimeOff.objects.create(
            practitioner=practitioner,
            starts_at=local(MONDAY, 9, 30),
            ends_at=local(MONDAY, 10),
            reason="Dentist appointment",
        )

    assert _slots(clinic_a, treatment, practitioner) == ["10:00"]


def test_a_clinic_closure_leaves_no_slots_on_its_days(clinic_a: Any) -> None:
    practitioner = make_practitioner(clinic_a)
    treatment = make_treatment(clinic_a)
    with clinic_scope(clinic_a.clinic.pk):
        ClinicClosure.objects.create(
            first_day=MONDAY, last_day=MONDAY + dt.timedelta(days=1), reason="Refit"
        )

    assert _slots(clinic_a, treatment, practitioner) == []
    assert _slots(clinic_a, treatment, practitioner, MONDAY + dt.timedelta(days=2))[0] == "09:00"


def test_a_bank_holiday_has_no_slots_unless_the_clinic_opens_that_day(clinic_a: Any) -> None:
    """Spring bank holiday 2027 is Monday 31 May: closed when the switch is on, open when
    the clinic says it opens that day, and open everywhere when the switch is off."""
    holiday = dt.date(2027, 5, 31)
    practitioner = make_practitioner(clinic_a)
    treatment = make_treatment(clinic_a)
    with clinic_scope(clinic_a.clinic.pk):
        ScheduleSettings.objects.update(closed_on_bank_holidays=True)
    closed = _slots(clinic_a, treatment, practitioner, holiday)
    with clinic_scope(clinic_a.clinic.pk):
        BankHolidayOpening.objects.create(day=holiday)
    opened = _slots(clinic_a, treatment, practitioner, holiday)

    assert closed == []
    assert opened[0] == "09:00" and len(opened) == 31


def test_booked_time_and_the_treatments_buffers_are_kept_clear(clinic_a: Any) -> None:
    """A 10:00–10:30 peel needing 15 minutes after it; a filler needing 15 minutes before:
    the next filler starts at 11:00 (both buffers), the last one before ends at 10:00."""
    practitioner = make_practitioner(clinic_a, starts=dt.time(9), ends=dt.time(12))
    peel = make_treatment(clinic_a, name="Chemical peel", after=15)
    filler = make_treatment(clinic_a, name="Filler", before=15)
    patient = clinic_a.make_patient(email="booked@example.com")
    with clinic_scope(clinic_a.clinic.pk):
        Appointment.objects.create(
            patient=patient,
            treatment=peel,
            practitioner=practitioner,
            starts_at=local(MONDAY, 10),
            ends_at=local(MONDAY, 10, 30),
        )

    assert _slots(clinic_a, filler, practitioner) == [
        "09:00", "09:15", "09:30", "11:00", "11:15", "11:30",
    ]  # fmt: skip


def test_a_cancelled_appointment_does_not_hold_the_time(clinic_a: Any) -> None:
    practitioner = make_practitioner(clinic_a, starts=dt.time(9), ends=dt.time(10))
    treatment = make_treatment(clinic_a, minutes=60)
    patient = clinic_a.make_patient(email="cancelled@example.com")
    with clinic_scope(clinic_a.clinic.pk):
        Appointment.objects.create(
            patient=patient,
            treatment=treatment,
            practitioner=practitioner,
            starts_at=local(MONDAY, 9),
            ends_at=local(MONDAY, 10),
            status="cancelled",
        )

    assert _slots(clinic_a, treatment, practitioner) == ["09:00"]


def test_slots_never_start_in_the_past(clinic_a: Any) -> None:
    practitioner = make_practitioner(clinic_a)
    treatment = make_treatment(clinic_a)
    with clinic_scope(clinic_a.clinic.pk):
        slots = free_slots(
            treatment, local(MONDAY, 0), local(MONDAY, 23), practitioner, now=local(MONDAY, 15, 5)
        )

    assert local_starts(slots) == ["15:15", "15:30", "15:45", "16:00", "16:15", "16:30"]


def test_every_active_practitioner_is_searched_when_none_is_named(clinic_a: Any) -> None:
    early = make_practitioner(clinic_a, "Dr Early", starts=dt.time(8), ends=dt.time(9))
    late = make_practitioner(clinic_a, "Dr Late", starts=dt.time(17), ends=dt.time(18))
    gone = make_practitioner(clinic_a, "Dr Gone", starts=dt.time(12), ends=dt.time(13))
    gone.active = False
    with clinic_scope(clinic_a.clinic.pk):
        gone.save()
        treatment = make_treatment(clinic_a, minutes=60)
        slots = free_slots(treatment, local(MONDAY, 0), local(MONDAY, 23), now=LONG_AGO)

    # The fixture's Dr Test works 08:00–20:00 every day.
    names = {(f"{s.starts_at.astimezone(local(MONDAY, 0).tzinfo):%H:%M}", s.practitioner.pk)
             for s in slots}  # fmt: skip
    assert ("08:00", early.pk) in names and ("17:00", late.pk) in names
    assert all(s.practitioner.pk != gone.pk for s in slots)
    assert [s.starts_at for s in slots] == sorted(s.starts_at for s in slots)


def test_a_range_longer_than_31_days_is_refused_naming_to(clinic_a: Any) -> None:
    treatment = make_treatment(clinic_a)
    with clinic_scope(clinic_a.clinic.pk), pytest.raises(ValidationFailed) as refused:
        free_slots(treatment, local(MONDAY, 0), local(MONDAY + dt.timedelta(days=32), 0))

    assert refused.value.field == "to"
    assert refused.value.detail == "ask for at most 31 days of availability at a time"
