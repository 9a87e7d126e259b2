"""Settings → Availability: owners and managers set hours and breaks, time off, closures
and the bank-holiday switch; each change is audited; other roles get 403, and another
clinic's practitioner or closure is a 404 that changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import WorkingHours
from aescrm.scheduling.models import (
    BankHolidayOpening,
    ClinicClosure,
    PractitionerBreak,
    ScheduleSettings,
    TimeOff,
)
from aescrm.scheduling.tests.support import LONDON
from aescrm.web.tests.support import book, member_client, text

pytestmark = pytest.mark.django_db
URL = "/settings/availability"


def _week(**days: tuple[str, str, str, str]) -> dict[str, str]:
    form: dict[str, str] = {}
    for n in range(7):
        starts, ends, break_starts, break_ends = days.get(f"d{n}", ("", "", "", ""))
        form |= {
            f"starts_{n}": starts,
            f"ends_{n}": ends,
            f"break_starts_{n}": break_starts,
            f"break_ends_{n}": break_ends,
        }
    return form


def test_a_manager_sets_hours_and_a_lunch_break(clinic_a: Any) -> None:
    client = member_client(clinic_a, "manager")

    response = client.post(
        URL,
        {
            "action": "hours",
            "practitioner": str(clinic_a.practitioner.pk),
            **_week(d0=("09:00", "17:00", "13:00", "14:00"), d2=("10:00", "16:00", "", "")),
        },
    )

    assert response.status_code == 302
    with clinic_scope(clinic_a.clinic.pk):
        hours = list(
            WorkingHours.objects.filter(practitioner=clinic_a.practitioner).values_list(
                "weekday", "starts", "ends"
            )
        )
        breaks = list(PractitionerBreak.objects.values_list("weekday", "starts", "ends"))
        audited = AuditEntry.objects.filter(action="schedule.hours.update").count()
    assert hours == [(0, dt.time(9), dt.time(17)), (2, dt.time(10), dt.time(16))]
    assert breaks == [(0, dt.time(13), dt.time(14))]
    assert audited == 7  # every weekday changed (the fixture worked all seven)
    page = text(client.get(URL))
    assert 'value="13:00" aria-label="Dr Test, Monday, break from"' in page


def test_a_break_outside_the_hours_is_refused_and_nothing_changes(clinic_a: Any) -> None:
    response = member_client(clinic_a, "owner").post(
        URL,
        {
            "action": "hours",
            "practitioner": str(clinic_a.practitioner.pk),
            **_week(d0=("09:00", "12:00", "13:00", "14:00")),
        },
    )

    assert response.status_code == 422
    assert "The break must fall inside the working hours (day_0)." in text(response)
    with clinic_scope(clinic_a.clinic.pk):
        assert WorkingHours.objects.filter(practitioner=clinic_a.practitioner).count() == 7


def test_time_off_is_added_in_clinic_time_and_says_what_it_strands(clinic_a: Any) -> None:
    day = dt.datetime.now(LONDON).date() + dt.timedelta(days=10)
    patient = clinic_a.make_patient(first_name="Stranded", last_name="Patient")
    book(clinic_a, patient, dt.datetime.combine(day, dt.time(10)))
    client = member_client(clinic_a, "manager")

    response = client.post(
        URL,
        {
            "action": "time_off_add",
            "practitioner": str(clinic_a.practitioner.pk),
            "off_first_day": day.isoformat(),
            "reason": "Conference",
        },
        follow=True,
    )

    with clinic_scope(clinic_a.clinic.pk):
        off = TimeOff.objects.get()
    assert off.starts_at == dt.datetime.combine(day, dt.time(0), tzinfo=LONDON)
    assert off.ends_at == dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=LONDON)
    assert off.reason == "Conference"
    assert "1 appointment is already booked then" in text(response)


def test_a_closure_is_added_and_removed(clinic_a: Any) -> None:
    client = member_client(clinic_a, "owner")
    first = dt.datetime.now(LONDON).date() + dt.timedelta(days=20)

    client.post(
        URL,
        {
            "action": "closure_add",
            "first_day": first.isoformat(),
            "last_day": (first + dt.timedelta(days=2)).isoformat(),
            "reason": "Refit",
        },
    )
    with clinic_scope(clinic_a.clinic.pk):
        closure = ClinicClosure.objects.get()
    shown = text(client.get(URL))
    client.post(URL, {"action": "closure_remove", "closure": str(closure.pk)})

    assert (closure.first_day, closure.last_day, closure.reason) == (
        first,
        first + dt.timedelta(days=2),
        "Refit",
    )
    assert ": Refit" in shown
    with clinic_scope(clinic_a.clinic.pk):
        assert not ClinicClosure.objects.exists()
        assert AuditEntry.objects.filter(action__startswith="schedule.closure.").count() == 2


def test_the_bank_holiday_switch_and_opening_on_one_holiday(clinic_a: Any) -> None:
    client = member_client(clinic_a, "owner")

    client.post(
        URL,
        {"action": "settings", "closed_on_bank_holidays": "on", "slot_step_minutes": "30"},
    )
    page = text(client.get(URL))
    client.post(URL, {"action": "holiday_open", "day": "2026-12-28"})

    with clinic_scope(clinic_a.clinic.pk):
        settings = ScheduleSettings.objects.get()
        assert list(BankHolidayOpening.objects.values_list("day", flat=True)) == [
            dt.date(2026, 12, 28)
        ]
    assert settings.closed_on_bank_holidays and settings.slot_step_minutes == 30
    assert "Boxing Day (observed)" in page


def test_a_manager_sets_a_treatments_buffers(clinic_a: Any) -> None:
    client = member_client(clinic_a, "manager")

    saved = client.post(
        URL,
        {
            "action": "buffers",
            "treatment": str(clinic_a.treatment.pk),
            "buffer_before_minutes": "5",
            "buffer_after_minutes": "10",
        },
    )
    refused = client.post(
        URL,
        {
            "action": "buffers",
            "treatment": str(clinic_a.treatment.pk),
            "buffer_before_minutes": "5",
            "buffer_after_minutes": "300",
        },
    )

    assert saved.status_code == 302
    assert refused.status_code == 422
    assert "A buffer is 0 to 240 minutes" in text(refused)
    with clinic_scope(clinic_a.clinic.pk):
        clinic_a.treatment.refresh_from_db()
    assert (clinic_a.treatment.buffer_before_minutes, clinic_a.treatment.buffer_after_minutes) == (
        5,
        10,
    )


@pytest.mark.parametrize("role", ["clinician", "receptionist", "marketer", "auditor"])
def test_other_roles_may_not_change_availability(clinic_a: Any, role: str) -> None:
    response = member_client(clinic_a, role).post(
        URL, {"action": "closure_add", "first_day": "2027-01-04", "reason": "No"}
    )

    assert response.status_code == 403
    with clinic_scope(clinic_a.clinic.pk):
        assert not ClinicClosure.objects.exists()


def test_another_clinics_practitioner_and_closure_are_not_found(
    clinic_a: Any, clinic_b: Any
) -> None:
    with clinic_scope(clinic_a.clinic.pk):
        closure = ClinicClosure.objects.create(
            first_day=dt.date(2027, 1, 4), last_day=dt.date(2027, 1, 4), reason="A's"
        )
    client = member_client(clinic_b, "owner")

    hours = client.post(
        URL,
        {"action": "hours", "practitioner": str(clinic_a.practitioner.pk), **_week()},
    )
    removed = client.post(URL, {"action": "closure_remove", "closure": str(closure.pk)})
    page = text(client.get(URL))

    assert hours.status_code == 404
    assert removed.status_code == 404
    assert str(clinic_a.practitioner.pk) not in page and "A&#x27;s" not in page
    with clinic_scope(clinic_a.clinic.pk):
        assert ClinicClosure.objects.count() == 1
        assert WorkingHours.objects.filter(practitioner=clinic_a.practitioner).count() == 7
