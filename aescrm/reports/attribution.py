"""The attribution report: leads, bookings, attendances, revenue and spend per source,
campaign or keyword, credited to the first or the last touch.

All counting happens in the database: one grouped query over the conversion
events (left-joined to the credited touch and, for speed-to-lead, the
enquiry) and one grouped query over ad spend. Python only joins the two
small grouped results and works out the ratios. Decision 0010 explains the
choices (revenue is the sum of revenue events; spend matches on source and
campaign, and on medium for the source view; keyword spend is n/a).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    Aggregate,
    CharField,
    Count,
    F,
    FloatField,
    Func,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, NullIf

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Clinic
from aescrm.accounts.permissions import Perm
from aescrm.attribution.models import ConversionEvent, ConversionKind
from aescrm.core.problems import ValidationFailed
from aescrm.reports.models import AdSpend

GROUP_BY = ("source", "campaign", "keyword")
MODELS = ("first_touch", "last_touch")
DEFAULT_MODEL = "last_touch"
MAX_DAYS = 366
DIRECT = "(direct)"
NONE = "(none)"

# The key columns of each view, as (name, touch field, label for "no value").
KEYS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "source": (("source", "utm_source", DIRECT), ("medium", "utm_medium", NONE)),
    "campaign": (("source", "utm_source", DIRECT), ("campaign", "utm_campaign", NONE)),
    "keyword": (
        ("source", "utm_source", DIRECT),
        ("campaign", "utm_campaign", NONE),
        ("keyword", "utm_term", NONE),
    ),
}
# The spend columns each view's key matches on (keyword: none, spend is n/a).
SPEND_KEYS: dict[str, tuple[str, ...]] = {
    "source": ("source", "medium"),
    "campaign": ("source", "campaign"),
    "keyword": (),
}


class Median(Aggregate):
    """The median of a numeric expression (PostgreSQL percentile_cont; SQLite a registered
    aggregate, see aescrm.reports.signals)."""

    function = "aescrm_median"
    name = "Median"
    output_field = FloatField()
    allow_distinct = False

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # A copy with its own template: Aggregate.as_sql wraps self.template in FILTER (…).
        clone = self.copy()
        clone.template = "percentile_cont(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
        return clone.as_sql(compiler, connection, **extra)


class SecondsBetween(Func):
    """``later - earlier`` in seconds, as a float."""

    output_field = FloatField()
    arity = 2

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 86400.0)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="EXTRACT(EPOCH FROM (%(expressions)s))::float",
            arg_joiner=" - ",
            **extra,
        )


@dataclass
class ReportRow:
    key: dict[str, str]
    leads: int = 0
    booked: int = 0
    attended: int = 0
    revenue_pence: int = 0
    spend_pence: int | None = None
    median_speed_to_lead_seconds: float | None = None
    cost_per_lead_pence: int | None = None
    cost_per_booking_pence: int | None = None
    roas: Decimal | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.key,
            "leads": self.leads,
            "booked": self.booked,
            "attended": self.attended,
            "revenue_pence": self.revenue_pence,
            "spend_pence": self.spend_pence,
            "cost_per_lead_pence": self.cost_per_lead_pence,
            "cost_per_booking_pence": self.cost_per_booking_pence,
            "roas": float(self.roas) if self.roas is not None else None,
            "median_speed_to_lead_seconds": self.median_speed_to_lead_seconds,
        }


@dataclass
class Report:
    date_from: dt.date
    date_to: dt.date
    group_by: str
    model: str
    key_names: tuple[str, ...]
    rows: list[ReportRow] = field(default_factory=list)
    totals: ReportRow = field(default_factory=lambda: ReportRow(key={}))


def _per(spend: int | None, count: int) -> int | None:
    # No spend recorded is not "free": the cost is unknown, so it shows as blank.
    if not spend or count == 0:
        return None
    return int((Decimal(spend) / count).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _finish(row: ReportRow) -> None:
    row.cost_per_lead_pence = _per(row.spend_pence, row.leads)
    row.cost_per_booking_pence = _per(row.spend_pence, row.booked)
    if row.spend_pence:
        row.roas = (Decimal(row.revenue_pence) / row.spend_pence).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )


def check_params(*, date_from: dt.date, date_to: dt.date, group_by: str, model: str) -> None:
    if group_by not in GROUP_BY:
        raise ValidationFailed(
            f"group_by must be one of {', '.join(GROUP_BY)}, not {group_by!r}", field="group_by"
        )
    if model not in MODELS:
        raise ValidationFailed(
            f"model must be one of {', '.join(MODELS)}, not {model!r}", field="model"
        )
    if date_from > date_to:
        raise ValidationFailed("from must be on or before to", field="from")
    if (date_to - date_from).days + 1 > MAX_DAYS:
        raise ValidationFailed(
            f"the range may cover at most {MAX_DAYS} days; choose a shorter one", field="to"
        )


def local_bounds(clinic: Clinic, date_from: dt.date, date_to: dt.date) -> tuple[dt.datetime, ...]:
    """The UTC instants of the clinic's midnight starting ``date_from`` and ending ``date_to``."""
    tz = clinic.tz
    start = dt.datetime.combine(date_from, dt.time(0), tzinfo=tz).astimezone(dt.UTC)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(0), tzinfo=tz).astimezone(
        dt.UTC
    )
    return start, end


def _event_rows(
    start: dt.datetime, end: dt.datetime, group_by: str, model: str
) -> list[dict[str, Any]]:
    keys = {
        name: Coalesce(NullIf(F(f"{model}__{column}"), Value("")), Value(empty))
        for name, column, empty in KEYS[group_by]
    }
    return list(
        ConversionEvent.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
        .values(**keys)
        .annotate(
            leads=Count("id", filter=Q(kind=ConversionKind.LEAD)),
            booked=Count("id", filter=Q(kind=ConversionKind.BOOKED)),
            attended=Count("id", filter=Q(kind=ConversionKind.ATTENDED)),
            revenue=Sum("value_pence", filter=Q(kind=ConversionKind.REVENUE)),
            speed=Median(
                SecondsBetween("enquiry__first_response_at", "enquiry__created_at"),
                filter=Q(kind=ConversionKind.LEAD),
            ),
        )
        .order_by()
    )


def _spend_rows(date_from: dt.date, date_to: dt.date, group_by: str) -> list[dict[str, Any]]:
    columns = SPEND_KEYS[group_by]
    if not columns:
        return []
    keys: dict[str, Any] = {
        name: (
            Coalesce(NullIf(F(name), Value("")), Value(NONE), output_field=CharField())
            if name == "medium"
            else F(name)
        )
        for name in columns
    }
    return list(
        AdSpend.objects.filter(date__gte=date_from, date__lte=date_to)
        .values(**{f"k_{name}": expr for name, expr in keys.items()})
        .annotate(spend=Sum("spend_pence"))
        .order_by()
    )


def attribution_report(
    *,
    caller: Caller,
    clinic: Clinic,
    date_from: dt.date,
    date_to: dt.date,
    group_by: str = "source",
    model: str = DEFAULT_MODEL,
) -> Report:
    """The report for the caller's clinic (the clinic scope must be active)."""
    caller.require(Perm.REPORTS_VIEW)
    if clinic.pk != caller.clinic_id:
        raise ValidationFailed("the clinic is not the caller's", field="clinic")
    check_params(date_from=date_from, date_to=date_to, group_by=group_by, model=model)
    start, end = local_bounds(clinic, date_from, date_to)
    names = tuple(name for name, _, _ in KEYS[group_by])
    report = Report(date_from, date_to, group_by, model, names)
    by_key: dict[tuple[str, ...], ReportRow] = {}
    for r in _event_rows(start, end, group_by, model):
        key = tuple(r[n] for n in names)
        by_key[key] = ReportRow(
            key=dict(zip(names, key, strict=True)),
            leads=r["leads"],
            booked=r["booked"],
            attended=r["attended"],
            revenue_pence=r["revenue"] or 0,
            median_speed_to_lead_seconds=(
                round(float(r["speed"]), 1) if r["speed"] is not None else None
            ),
        )
    spend_names = SPEND_KEYS[group_by]
    total_spend = 0
    for s in _spend_rows(date_from, date_to, group_by):
        key = tuple(s[f"k_{n}"] for n in spend_names)
        row = by_key.get(key)
        if row is None:
            # Spend with no conversions credited to it still shows: money spent for nothing.
            row = by_key[key] = ReportRow(key=dict(zip(names, key, strict=True)))
        row.spend_pence = (row.spend_pence or 0) + int(s["spend"] or 0)
        total_spend += int(s["spend"] or 0)
    totals = ReportRow(key={})
    for row in by_key.values():
        if spend_names and row.spend_pence is None:
            row.spend_pence = 0
        _finish(row)
        totals.leads += row.leads
        totals.booked += row.booked
        totals.attended += row.attended
        totals.revenue_pence += row.revenue_pence
    if spend_names:
        totals.spend_pence = total_spend
    else:
        # Keyword rows show no spend, but the period's spend is still a fact worth a total.
        totals.spend_pence = int(
            AdSpend.objects.filter(date__gte=date_from, date__lte=date_to).aggregate(
                s=Sum("spend_pence")
            )["s"]
            or 0
        )
    totals.median_speed_to_lead_seconds = _overall_speed(start, end)
    _finish(totals)
    report.rows = sorted(
        by_key.values(),
        key=lambda r: (-r.revenue_pence, -r.leads, -(r.spend_pence or 0), tuple(r.key.values())),
    )
    report.totals = totals
    return report


def _overall_speed(start: dt.datetime, end: dt.datetime) -> float | None:
    value = ConversionEvent.objects.filter(
        occurred_at__gte=start, occurred_at__lt=end, kind=ConversionKind.LEAD
    ).aggregate(speed=Median(SecondsBetween("enquiry__first_response_at", "enquiry__created_at")))[
        "speed"
    ]
    return round(float(value), 1) if value is not None else None
