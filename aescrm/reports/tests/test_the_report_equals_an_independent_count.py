"""Every figure of the attribution report equals a plain count over the raw rows."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from aescrm.attribution.models import ConversionEvent
from aescrm.core.tenancy import clinic_scope
from aescrm.reports.attribution import attribution_report
from aescrm.reports.models import AdSpend
from aescrm.reports.tests.dataset import build

pytestmark = pytest.mark.django_db

UTM = ("utm_source", "utm_medium", "utm_campaign", "utm_term")
KEY_COLUMNS = {
    "source": (("utm_source", "(direct)"), ("utm_medium", "(none)")),
    "campaign": (("utm_source", "(direct)"), ("utm_campaign", "(none)")),
    "keyword": (("utm_source", "(direct)"), ("utm_campaign", "(none)"), ("utm_term", "(none)")),
}


def _key(touch: Any, group_by: str) -> tuple[str, ...]:
    values = {column: getattr(touch, column) if touch is not None else "" for column in UTM}
    if touch is not None and touch.has_google_click and not touch.utm_source:
        # An auto-tagged Google Ads click without UTM tags is google / cpc.
        values["utm_source"] = "google"
        values["utm_medium"] = values["utm_medium"] or "cpc"
    return tuple(values[column] or empty for column, empty in KEY_COLUMNS[group_by])


def _expected(clinic_id: Any, start: dt.date, end: dt.date, group_by: str, model: str) -> Any:
    london = ZoneInfo("Europe/London")
    lo = dt.datetime(start.year, start.month, start.day, tzinfo=london)
    hi = dt.datetime(end.year, end.month, end.day, tzinfo=london) + dt.timedelta(days=1)
    rows: dict[tuple[str, ...], dict[str, Any]] = defaultdict(
        lambda: {"leads": 0, "booked": 0, "attended": 0, "revenue": 0, "speeds": []}
    )
    with clinic_scope(clinic_id):
        events = list(
            ConversionEvent.objects.select_related("first_touch", "last_touch", "enquiry")
        )
        spend = list(AdSpend.objects.all())
    for event in events:
        if not lo <= event.occurred_at < hi:
            continue
        row = rows[_key(getattr(event, model), group_by)]
        if event.kind == "lead":
            row["leads"] += 1
            enquiry = event.enquiry
            assert enquiry is not None
            if enquiry.first_response_at is not None:
                gap = enquiry.first_response_at - enquiry.created_at
                row["speeds"].append(gap.total_seconds())
        elif event.kind == "booked":
            row["booked"] += 1
        elif event.kind == "attended":
            row["attended"] += 1
        elif event.kind == "revenue":
            row["revenue"] += event.value_pence
    spent: dict[tuple[str, ...], int] = defaultdict(int)
    for s in spend:
        if start <= s.date <= end:
            if group_by == "source":
                spent[(s.source, s.medium or "(none)")] += s.spend_pence
            elif group_by == "campaign":
                spent[(s.source, s.campaign)] += s.spend_pence
    for key in spent:
        rows[key]  # spend alone makes a row
    return rows, spent


def _per(spend: int, count: int) -> int | None:
    if not count or not spend:
        return None
    return int((Decimal(spend) / count).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


@pytest.mark.parametrize("model", ["first_touch", "last_touch"])
@pytest.mark.parametrize("group_by", ["source", "campaign", "keyword"])
def test_every_figure_matches_the_raw_rows(clinic_a: Any, group_by: str, model: str) -> None:
    data = build(clinic_a)
    # A range that starts after some of the history and ends before the spend after it.
    start, end = data.start + dt.timedelta(days=2), data.end - dt.timedelta(days=1)
    expected, spent = _expected(clinic_a.clinic.pk, start, end, group_by, model)

    with clinic_scope(clinic_a.clinic.pk):
        report = attribution_report(
            caller=clinic_a.caller("marketer"),
            clinic=clinic_a.clinic,
            date_from=start,
            date_to=end,
            group_by=group_by,
            model=model,
        )

    got = {tuple(r.key.values()): r for r in report.rows}
    assert set(got) == set(expected)
    assert sum(e["leads"] for e in expected.values()) > 5
    for key, want in expected.items():
        row = got[key]
        assert (row.leads, row.booked, row.attended, row.revenue_pence) == (
            want["leads"],
            want["booked"],
            want["attended"],
            want["revenue"],
        ), key
        median = statistics.median(want["speeds"]) if want["speeds"] else None
        if median is None:
            assert row.median_speed_to_lead_seconds is None
        else:
            assert row.median_speed_to_lead_seconds == pytest.approx(median, abs=0.1)
        if group_by == "keyword":
            assert row.spend_pence is None
            assert row.roas is None and row.cost_per_lead_pence is None
            continue
        money = spent.get(key, 0)
        assert row.spend_pence == money, key
        assert row.cost_per_lead_pence == _per(money, want["leads"])
        assert row.cost_per_booking_pence == _per(money, want["booked"])
        if money:
            assert row.roas == (Decimal(want["revenue"]) / money).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP
            )
        else:
            assert row.roas is None
    assert report.totals.leads == sum(e["leads"] for e in expected.values())
    assert report.totals.revenue_pence == sum(e["revenue"] for e in expected.values())
    with clinic_scope(clinic_a.clinic.pk):
        all_spend = sum(s.spend_pence for s in AdSpend.objects.all() if start <= s.date <= end)
    assert report.totals.spend_pence == all_spend


def test_no_touch_and_untagged_touches_are_direct(clinic_a: Any) -> None:
    data = build(clinic_a, enquiries=20)
    with clinic_scope(clinic_a.clinic.pk):
        report = attribution_report(
            caller=clinic_a.caller(),
            clinic=clinic_a.clinic,
            date_from=data.start - dt.timedelta(days=10),
            date_to=data.end,
            group_by="source",
            model="last_touch",
        )
    keys = {tuple(r.key.values()) for r in report.rows}
    assert ("(direct)", "(none)") in keys
    assert ("", "") not in keys and all("" not in k for k in keys)
