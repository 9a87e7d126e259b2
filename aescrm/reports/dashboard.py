"""This month at a glance, for the dashboard of members who may see reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Clinic
from aescrm.accounts.permissions import Perm
from aescrm.attribution.models import ConversionEvent, ConversionKind
from aescrm.patients.models import Appointment, AppointmentStatus
from aescrm.reports.attribution import ReportRow, attribution_report, local_bounds


@dataclass
class MonthSummary:
    month_start: dt.date
    today: dt.date
    leads: int
    booked: int
    attended: int
    no_shows: int
    show_rate: Decimal | None
    revenue_pence: int
    best: ReportRow | None
    worst: ReportRow | None


def month_summary(*, caller: Caller, clinic: Clinic) -> MonthSummary:
    """Leads, bookings, show rate and revenue from the 1st of this month (clinic time) to
    today, and the campaigns with the best and worst return on ad spend (last touch)."""
    caller.require(Perm.REPORTS_VIEW)
    today = dt.datetime.now(clinic.tz).date()
    first = today.replace(day=1)
    start, end = local_bounds(clinic, first, today)
    events = ConversionEvent.objects.filter(occurred_at__gte=start, occurred_at__lt=end).aggregate(
        leads=Count("id", filter=Q(kind=ConversionKind.LEAD)),
        booked=Count("id", filter=Q(kind=ConversionKind.BOOKED)),
        revenue=Sum("value_pence", filter=Q(kind=ConversionKind.REVENUE)),
    )
    # Show rate: of this month's appointments (so far) with an outcome, the share attended.
    outcomes = Appointment.objects.filter(starts_at__gte=start, starts_at__lt=end).aggregate(
        attended=Count("id", filter=Q(status=AppointmentStatus.ATTENDED)),
        no_shows=Count("id", filter=Q(status=AppointmentStatus.NO_SHOW)),
    )
    attended, no_shows = outcomes["attended"], outcomes["no_shows"]
    show_rate = (
        (Decimal(attended * 100) / (attended + no_shows)).quantize(Decimal("1"))
        if attended + no_shows
        else None
    )
    report = attribution_report(
        caller=caller,
        clinic=clinic,
        date_from=first,
        date_to=today,
        group_by="campaign",
        model="last_touch",
    )
    ranked = sorted(
        (r for r in report.rows if r.roas is not None),
        key=lambda r: (r.roas or Decimal(0), r.revenue_pence),
    )
    return MonthSummary(
        month_start=first,
        today=today,
        leads=events["leads"],
        booked=events["booked"],
        attended=attended,
        no_shows=no_shows,
        show_rate=show_rate,
        revenue_pence=events["revenue"] or 0,
        best=ranked[-1] if ranked else None,
        worst=ranked[0] if len(ranked) > 1 else None,
    )
