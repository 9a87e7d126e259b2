"""Report days are the clinic's (Europe/London) days, also on the days the clocks change.

25 October 2026 has 25 hours in London (BST ends at 02:00), 29 March 2026 has 23
(BST starts at 01:00): an event belongs to the local day it happened on.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aescrm.attribution.models import ConversionEvent
from aescrm.core.tenancy import clinic_scope
from aescrm.patients import services
from aescrm.reports.attribution import attribution_report

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def _leads_at(world: Any, moments: list[dt.datetime]) -> None:
    for n, moment in enumerate(moments):
        patient = world.make_patient(email=f"dst{n}@example.com")
        with clinic_scope(world.clinic.pk):
            enquiry = services.enquiry_create(
                caller=world.caller(), patient=patient, channel="phone"
            )
            ConversionEvent.objects.filter(enquiry=enquiry).update(occurred_at=moment)


def _leads_on(world: Any, day: dt.date) -> int:
    with clinic_scope(world.clinic.pk):
        report = attribution_report(
            caller=world.caller(), clinic=world.clinic, date_from=day, date_to=day
        )
    return report.totals.leads


def test_the_long_autumn_day_has_all_25_hours(clinic_a: Any) -> None:
    _leads_at(
        clinic_a,
        [
            dt.datetime(2026, 10, 24, 22, 59, tzinfo=UTC),  # 23:59 BST on the 24th
            dt.datetime(2026, 10, 24, 23, 0, tzinfo=UTC),  # 00:00 BST on the 25th
            dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # 01:30 BST, the first time
            dt.datetime(2026, 10, 25, 1, 30, tzinfo=UTC),  # 01:30 GMT, the second time
            dt.datetime(2026, 10, 25, 23, 59, tzinfo=UTC),  # 23:59 GMT on the 25th
            dt.datetime(2026, 10, 26, 0, 0, tzinfo=UTC),  # 00:00 GMT on the 26th
        ],
    )

    assert _leads_on(clinic_a, dt.date(2026, 10, 24)) == 1
    assert _leads_on(clinic_a, dt.date(2026, 10, 25)) == 4
    assert _leads_on(clinic_a, dt.date(2026, 10, 26)) == 1


def test_the_short_spring_day_has_23_hours(clinic_a: Any) -> None:
    _leads_at(
        clinic_a,
        [
            dt.datetime(2026, 3, 28, 23, 59, tzinfo=UTC),  # 23:59 GMT on the 28th
            dt.datetime(2026, 3, 29, 0, 0, tzinfo=UTC),  # 00:00 GMT on the 29th
            dt.datetime(2026, 3, 29, 22, 59, tzinfo=UTC),  # 23:59 BST on the 29th
            dt.datetime(2026, 3, 29, 23, 0, tzinfo=UTC),  # 00:00 BST on the 30th
        ],
    )

    assert _leads_on(clinic_a, dt.date(2026, 3, 28)) == 1
    assert _leads_on(clinic_a, dt.date(2026, 3, 29)) == 2
    assert _leads_on(clinic_a, dt.date(2026, 3, 30)) == 1
