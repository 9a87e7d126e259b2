"""The attribution report: leads, bookings, attendances, revenue and spend per source,
campaign or keyword, credited to the first or the last touch.

All counting happens in the database: one grouped statement over the
conversion events (left-joined to the credited touch and, for speed-to-lead,
the enquiry, with the grand total from the same pass) and one grouped query
over ad spend. Python only joins the two
small grouped results and works out the ratios. Decision 0010 explains the
choices (revenue is the sum of revenue events; spend matches on source and
campaign, and on medium for the source view; keyword spend is n/a).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    CharField,
    F,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, NullIf

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Clinic
from aescrm.accounts.permissions import Perm
from aescrm.attribution.models import ConversionEvent, Touch
from aescrm.core.problems import ValidationFailed
from aescrm.core.tenancy import current_clinic_id
from aescrm.patients.models import Enquiry
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
# A Google Ads click that carried no UTM tags (auto-tagging alone) is google /
# cpc, as Google Analytics reports it and where Google Ads spend is imported.
GOOGLE_CLICK_DEFAULTS = {"utm_source": "google", "utm_medium": "cpc"}
# The spend columns each view's key matches on (keyword: none, spend is n/a).
SPEND_KEYS: dict[str, tuple[str, ...]] = {
    "source": ("source", "medium"),
    "campaign": ("source", "campaign"),
    "keyword": (),
}


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
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The grouped events and their grand total, in one SQL statement.

    One pass over the range's events, left-joined to the credited touch and
    (for speed-to-lead) the enquiry; the total row comes from the same pass
    (GROUPING SETS on PostgreSQL, a UNION ALL on SQLite), so the overall
    median costs no second scan. Written as SQL because the ORM cannot group
    by a key and by nothing in one query. The clinic filter is explicit
    (raw SQL bypasses the scoped manager); on PostgreSQL RLS applies too.
    """
    postgres = connection.vendor == "postgresql"
    clinic_id = current_clinic_id()
    keys = KEYS[group_by]
    names = [name for name, _, _ in keys]
    params: list[Any] = []
    key_sql = []
    for name, column, empty in keys:
        if column in GOOGLE_CLICK_DEFAULTS:
            untagged_google = "t.has_google_click AND COALESCE(t.utm_source, '') = ''"
            key_sql.append(
                f"COALESCE(NULLIF(t.{column}, ''), "
                f"CASE WHEN {untagged_google} THEN %s END, %s) AS {name}"
            )
            params += [GOOGLE_CLICK_DEFAULTS[column], empty]
        else:
            key_sql.append(f"COALESCE(NULLIF(t.{column}, ''), %s) AS {name}")
            params.append(empty)
    seconds = (
        "EXTRACT(EPOCH FROM (q.first_response_at - q.created_at))"
        if postgres
        else "(julianday(q.first_response_at) - julianday(q.created_at)) * 86400.0"
    )
    median = (
        "percentile_cont(0.5) WITHIN GROUP (ORDER BY speed)" if postgres else "aescrm_median(speed)"
    )
    touch_column = {"first_touch": "first_touch_id", "last_touch": "last_touch_id"}[model]
    ops = connection.ops
    params += [
        ConversionEvent._meta.get_field("id").get_db_prep_value(clinic_id, connection),
        ops.adapt_datetimefield_value(start),
        ops.adapt_datetimefield_value(end),
    ]
    aggregates = (
        "count(*) FILTER (WHERE kind = 'lead'), "
        "count(*) FILTER (WHERE kind = 'booked'), "
        "count(*) FILTER (WHERE kind = 'attended'), "
        "sum(value_pence) FILTER (WHERE kind = 'revenue'), "
        f"{median} FILTER (WHERE kind = 'lead')"
    )
    group = ", ".join(names)
    if postgres:
        body = (
            # Identifiers below come from the fixed KEYS table, never from input.
            f"SELECT {group}, GROUPING({group}) <> 0, {aggregates} "  # noqa: S608
            f"FROM ev GROUP BY GROUPING SETS (({group}), ())"
        )
    else:
        nulls = ", ".join("NULL" for _ in names)
        body = (
            f"SELECT {group}, 0, {aggregates} FROM ev GROUP BY {group} "  # noqa: S608
            f"UNION ALL SELECT {nulls}, 1, {aggregates} FROM ev"
        )
    sql = f"""
        WITH ev AS (
            SELECT {", ".join(key_sql)}, e.kind AS kind, e.value_pence AS value_pence,
                   {seconds} AS speed
            FROM {ConversionEvent._meta.db_table} e
            LEFT JOIN {Touch._meta.db_table} t ON t.id = e.{touch_column}
            LEFT JOIN {Enquiry._meta.db_table} q ON q.id = e.enquiry_id
            WHERE e.clinic_id = %s AND e.occurred_at >= %s AND e.occurred_at < %s
        )
        {body}
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    rows, total = [], {"leads": 0, "booked": 0, "attended": 0, "revenue": 0, "speed": None}
    for record in fetched:
        n = len(names)
        values = dict(
            zip(("leads", "booked", "attended", "revenue", "speed"), record[n + 1 :], strict=True)
        )
        if record[n]:
            total = values
        else:
            rows.append({**dict(zip(names, record[:n], strict=True)), **values})
    return rows, total


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
    if not clinic.pk == caller.clinic_id == current_clinic_id():
        raise ValidationFailed("the clinic is not the caller's", field="clinic")
    check_params(date_from=date_from, date_to=date_to, group_by=group_by, model=model)
    start, end = local_bounds(clinic, date_from, date_to)
    names = tuple(name for name, _, _ in KEYS[group_by])
    report = Report(date_from, date_to, group_by, model, names)
    by_key: dict[tuple[str, ...], ReportRow] = {}
    event_rows, event_total = _event_rows(start, end, group_by, model)
    for r in event_rows:
        key = tuple(r[n] for n in names)
        by_key[key] = ReportRow(
            key=dict(zip(names, key, strict=True)),
            leads=int(r["leads"]),
            booked=int(r["booked"]),
            attended=int(r["attended"]),
            revenue_pence=int(r["revenue"] or 0),
            median_speed_to_lead_seconds=_seconds(r["speed"]),
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
    totals.median_speed_to_lead_seconds = _seconds(event_total["speed"])
    _finish(totals)
    report.rows = sorted(
        by_key.values(),
        key=lambda r: (-r.revenue_pence, -r.leads, -(r.spend_pence or 0), tuple(r.key.values())),
    )
    report.totals = totals
    return report


def _seconds(value: Any) -> float | None:
    return round(float(value), 1) if value is not None else None
