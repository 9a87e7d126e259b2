"""The dashboard's month block equals a plain count of this month's raw rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aescrm.attribution.models import ConversionEvent
from aescrm.core.tenancy import clinic_scope
from aescrm.patients import services
from aescrm.patients.models import Appointment
from aescrm.reports.dashboard import month_summary
from aescrm.reports.tests.dataset import build
from aescrm.web.tests.support import book, member_client, text

pytestmark = pytest.mark.django_db


def test_month_figures_match_the_raw_rows(clinic_a: Any) -> None:
    build(clinic_a, enquiries=20)
    tz = clinic_a.clinic.tz
    today = dt.datetime.now(tz).date()
    patient = clinic_a.make_patient(first_name="Shown")
    outcomes = ["attended", "attended", "no_show"]
    with clinic_scope(clinic_a.clinic.pk):
        for i, status in enumerate(outcomes):
            appointment = book(
                clinic_a, patient, dt.datetime.combine(today, dt.time(8)) + dt.timedelta(hours=i)
            )
            services.appointment_update(
                caller=clinic_a.caller(), appointment=appointment, status=status
            )
    lo = dt.datetime.combine(today.replace(day=1), dt.time(0), tzinfo=tz)
    hi = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(0), tzinfo=tz)

    with clinic_scope(clinic_a.clinic.pk):
        events = [e for e in ConversionEvent.objects.all() if lo <= e.occurred_at < hi]
        appointments = [a for a in Appointment.objects.all() if lo <= a.starts_at < hi]
        summary = month_summary(caller=clinic_a.caller("auditor"), clinic=clinic_a.clinic)

    attended = sum(1 for a in appointments if a.status == "attended")
    no_shows = sum(1 for a in appointments if a.status == "no_show")
    assert summary.leads == sum(1 for e in events if e.kind == "lead")
    assert summary.booked == sum(1 for e in events if e.kind == "booked")
    assert summary.revenue_pence == sum(e.value_pence for e in events if e.kind == "revenue")
    assert (summary.attended, summary.no_shows) == (attended, no_shows)
    assert attended >= 2 and no_shows >= 1
    assert summary.show_rate == round(100 * attended / (attended + no_shows))
    if summary.best and summary.worst:
        assert summary.best.roas is not None and summary.worst.roas is not None
        assert summary.best.roas >= summary.worst.roas

    page = text(member_client(clinic_a, "owner").get("/"))
    assert f'<p class="figure" id="month-leads">{summary.leads}</p>' in page
    assert f'<p class="figure" id="month-show-rate">{summary.show_rate}%</p>' in page
