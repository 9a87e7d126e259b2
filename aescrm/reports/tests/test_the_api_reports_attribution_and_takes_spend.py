"""GET /api/v1/reports/attribution(.csv) and POST /api/v1/ad-spend."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aescrm.accounts.services import api_key_create
from aescrm.core.tenancy import clinic_scope
from aescrm.reports.models import AdSpend
from aescrm.reports.tests.dataset import build
from aescrm.testing.fixtures import ApiClient

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/attribution"


def _range(data: Any) -> dict[str, str]:
    return {"from": data.start.isoformat(), "to": data.end.isoformat()}


def test_it_answers_the_report_with_exact_fields(clinic_a: Any) -> None:
    data = build(clinic_a, enquiries=16)

    response = clinic_a.api().get(
        URL, {**_range(data), "group_by": "campaign", "model": "first_touch"}
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {
        "from",
        "to",
        "group_by",
        "model",
        "currency",
        "time_zone",
        "rows",
        "totals",
    }
    assert (body["from"], body["to"]) == (data.start.isoformat(), data.end.isoformat())
    assert (body["group_by"], body["model"], body["currency"]) == ("campaign", "first_touch", "GBP")
    assert body["time_zone"] == "Europe/London"
    row = next(r for r in body["rows"] if r["campaign"] == "brand")
    assert row["source"] == "google" and row["leads"] == 0 and row["spend_pence"] > 0
    assert set(row) >= {
        "source",
        "campaign",
        "leads",
        "booked",
        "attended",
        "revenue_pence",
        "spend_pence",
        "cost_per_lead_pence",
        "cost_per_booking_pence",
        "roas",
        "median_speed_to_lead_seconds",
    }
    assert body["totals"]["leads"] == sum(r["leads"] for r in body["rows"])


def test_keyword_rows_have_no_spend(clinic_a: Any) -> None:
    data = build(clinic_a, enquiries=12)

    body = clinic_a.api().get(URL, {**_range(data), "group_by": "keyword"}).json()

    assert body["rows"] and all(r["spend_pence"] is None for r in body["rows"])
    assert all(r["roas"] is None for r in body["rows"])
    assert body["totals"]["spend_pence"] > 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-13-01", "to": "2026-11-02"}, "from"),
        ({"from": "2026-11-01", "to": "yesterday"}, "to"),
        ({"group_by": "channel"}, "group_by"),
        ({"model": "linear"}, "model"),
        ({"from": "2026-11-10", "to": "2026-11-01"}, "from"),
        ({"from": "2024-01-01", "to": "2026-01-01"}, "to"),
    ],
)
def test_bad_parameters_get_a_problem_naming_the_field(
    clinic_a: Any, params: dict[str, str], field: str
) -> None:
    response = clinic_a.api().get(URL, params)

    assert response.status_code == 422, response.content
    body = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert body["errors"][0]["field"] == field


def test_a_key_without_the_scope_gets_403(clinic_a: Any) -> None:
    _, key = api_key_create(clinic=clinic_a.clinic, name="patients only", scopes=["patients:read"])

    client = ApiClient(key)
    assert client.get(URL).status_code == 403
    assert client.get(URL + ".csv").status_code == 403
    response = client.post("/api/v1/ad-spend", {"rows": [_spend_row()]})
    assert response.status_code == 403
    with clinic_scope(clinic_a.clinic.pk):
        assert not AdSpend.objects.exists()


def test_the_csv_export_has_a_header_rows_and_a_total(clinic_a: Any) -> None:
    data = build(clinic_a, enquiries=12)

    response = clinic_a.api().get(URL + ".csv", {**_range(data), "group_by": "source"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("Source,Medium,Leads,Booked,Attended,Revenue (GBP),Spend (GBP)")
    assert lines[-1].startswith("Total,,")
    assert any(line.startswith("google,cpc,") for line in lines)


def _spend_row(**extra: Any) -> dict[str, Any]:
    return {
        "date": (dt.date.today() - dt.timedelta(days=1)).isoformat(),
        "source": "google",
        "medium": "cpc",
        "campaign": "implants",
        "spend_pence": 1250,
        **extra,
    }


def test_posting_spend_imports_it_and_posting_again_replaces_it(clinic_a: Any) -> None:
    api = clinic_a.api()

    first = api.post("/api/v1/ad-spend", {"rows": [_spend_row(), _spend_row(campaign="brand")]})
    again = api.post("/api/v1/ad-spend", {"rows": [_spend_row(spend_pence=2000)]})

    assert first.status_code == 201, first.content
    assert first.json()["rows"] == 2 and first.json()["total_pence"] == 2500
    assert again.json()["replaced"] == 1
    with clinic_scope(clinic_a.clinic.pk):
        stored = {s.campaign: s.spend_pence for s in AdSpend.objects.all()}
    assert stored == {"implants": 2000, "brand": 1250}


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"currency": "EUR"}, "rows.1.currency"),
        ({"spend_pence": -5}, "rows.1.spend_pence"),
        ({"date": "31/02/2026"}, "rows.1.date"),
        ({"date": "2099-11-01"}, "rows.1.date"),
        ({"date": "0026-11-01"}, "rows.1.date"),
        ({"campaign": ""}, "rows.1.campaign"),
        ({"colour": "blue"}, "rows.1.colour"),
    ],
)
def test_bad_spend_rows_are_refused_naming_the_row_and_nothing_is_kept(
    clinic_a: Any, row: dict[str, Any], field: str
) -> None:
    response = clinic_a.api().post(
        "/api/v1/ad-spend", {"rows": [_spend_row(), _spend_row(**{"campaign": "b", **row})]}
    )

    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["field"] == field
    if field.endswith("currency"):
        assert "GBP only" in response.json()["detail"]
    with clinic_scope(clinic_a.clinic.pk):
        assert not AdSpend.objects.exists()


def test_clinic_b_sees_none_of_clinic_a(clinic_a: Any, clinic_b: Any) -> None:
    data = build(clinic_a, enquiries=12)
    clinic_a.api().post("/api/v1/ad-spend", {"rows": [_spend_row()]})

    body = clinic_b.api().get(URL, {**_range(data), "group_by": "campaign"}).json()
    csv = clinic_b.api().get(URL + ".csv", _range(data)).content.decode().splitlines()
    clinic_b.api().post("/api/v1/ad-spend", {"rows": [_spend_row(spend_pence=1)]})

    assert body["rows"] == []
    assert body["totals"]["leads"] == 0 and body["totals"]["spend_pence"] == 0
    assert len(csv) == 2  # header and a zero total
    with clinic_scope(clinic_a.clinic.pk):
        assert AdSpend.objects.get(campaign="implants").spend_pence == 1250
