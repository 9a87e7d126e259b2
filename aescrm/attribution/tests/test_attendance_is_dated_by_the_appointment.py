"""Attendance and its revenue happened at the appointment, not when someone ticked the box.

Reception often marks yesterday's list the next morning: the revenue of a
31 March appointment belongs to March's report, not April's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from aescrm.api.tests.helpers import slot
from aescrm.attribution.models import ConversionEvent
from aescrm.core.tenancy import clinic_scope
from aescrm.patients import services
from aescrm.reports.attribution import attribution_report


def _book(world: Any, patient: Any, starts_at: dt.datetime) -> Any:
    return services.appointment_book(
        caller=world.caller(),
        patient=patient,
        treatment=world.treatment,
        practitioner=world.practitioner,
        starts_at=starts_at,
        value_pence=45000,
        # Yesterday's visit entered today: the owner sets the no-past-bookings rule aside.
        override=starts_at < dt.datetime.now(dt.UTC),
        override_reason="Entering a past visit",
    )


def test_marking_yesterdays_appointment_attended_dates_it_yesterday(clinic_a: Any) -> None:
    tz = clinic_a.clinic.tz
    yesterday = dt.datetime.now(tz).date() - dt.timedelta(days=1)
    starts_at = dt.datetime.combine(yesterday, dt.time(16), tzinfo=tz)
    patient = clinic_a.make_patient(email="yesterday@example.com")
    with clinic_scope(clinic_a.clinic.pk):
        appointment = _book(clinic_a, patient, starts_at)
        services.appointment_update(
            caller=clinic_a.caller(), appointment=appointment, status="attended"
        )
        events = {e.kind: e for e in ConversionEvent.objects.filter(appointment=appointment)}
        report = attribution_report(
            caller=clinic_a.caller(), clinic=clinic_a.clinic, date_from=yesterday, date_to=yesterday
        )

    assert events["attended"].occurred_at == starts_at
    assert events["revenue"].occurred_at == starts_at
    assert (report.totals.attended, report.totals.revenue_pence) == (1, 45000)


def test_an_appointment_marked_attended_before_its_start_is_dated_now(clinic_a: Any) -> None:
    """Checked in early: a conversion is never dated in the future."""
    patient = clinic_a.make_patient(email="early@example.com")
    with clinic_scope(clinic_a.clinic.pk):
        appointment = _book(clinic_a, patient, slot(days=1, hour=10))
        before = timezone.now()
        services.appointment_update(
            caller=clinic_a.caller(), appointment=appointment, status="attended"
        )
        attended = ConversionEvent.objects.get(appointment=appointment, kind="attended")

    assert before <= attended.occurred_at <= timezone.now()
