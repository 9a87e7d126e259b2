"""Ad spend from Google Ads and Meta exports and the plain layout: all or nothing,
re-imports replace, every problem names its row and column."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aescrm.core.problems import PermissionDenied
from aescrm.core.tenancy import clinic_scope
from aescrm.reports.models import AdSpend, AdSpendImport
from aescrm.reports.services import ad_spend_import
from aescrm.reports.spend_csv import SpendImportRefused, parse_spend_csv

pytestmark = pytest.mark.django_db

GOOGLE = """Campaign report
"1 November 2026 - 2 November 2026"
Day,Campaign,Campaign state,Campaign type,Clicks,Impr.,CTR,Currency code,Avg. CPC,Cost
2026-11-01,Implants - Search,Enabled,Search,12,340,3.53%,GBP,1.04,12.50
2026-11-01,Brand,Enabled,Search,"1,040","12,000",8.67%,GBP,1.19,"1,234.56"
2026-11-02,Implants - Search,Enabled,Search,9,310,2.90%,GBP,1.10,9.90
2026-11-02,Brand,Paused,Search,0,0,--,GBP,--,0.00
Total: Account,,,,"1,061","12,650",8.39%,GBP,1.18,"1,256.96"
Total: Search,,,,"1,061","12,650",8.39%,GBP,1.18,"1,256.96"
Total: Campaigns,,,,"1,061","12,650",8.39%,GBP,1.18,"1,256.96"
"""

META = (
    "Reporting starts,Reporting ends,Campaign name,Campaign delivery,Results,Result indicator,"
    "Reach,Impressions,Cost per result,Amount spent (GBP),Ends\n"
    """2026-11-01,2026-11-01,Botox winter,active,3,actions:lead,1204,2210,4.16,12.48,Ongoing
2026-11-02,2026-11-02,Botox winter,active,1,actions:lead,980,1733,20.07,20.07,Ongoing
2026-11-02,2026-11-02,Lip filler,inactive,,,0,0,,,Ongoing
"""
)

PLAIN = """date,source,medium,campaign,spend
2026-11-01,google,cpc,Implants - Search,12.50
01/11/2026,tiktok,paid_social,Teeth whitening,7
"""


def _import(world: Any, data: str | bytes, **options: Any) -> Any:
    raw = data.encode() if isinstance(data, str) else data
    parsed = parse_spend_csv(raw, **options)
    with clinic_scope(world.clinic.pk):
        return ad_spend_import(
            caller=world.caller("marketer"),
            rows=parsed.rows,
            source_format=parsed.source_format,
            filename="export.csv",
        )


def _stored(world: Any) -> dict[tuple[Any, ...], int]:
    with clinic_scope(world.clinic.pk):
        return {
            (s.date.isoformat(), s.source, s.medium, s.campaign): s.spend_pence
            for s in AdSpend.objects.all()
        }


def test_a_google_ads_campaign_report_with_title_lines_and_totals(clinic_a: Any) -> None:
    parsed = parse_spend_csv(GOOGLE.encode())
    result = _import(clinic_a, GOOGLE)

    assert parsed.source_format == "google_ads" and parsed.skipped_total_rows == 3
    assert result.rows == 4 and result.total_pence == 125696
    assert _stored(clinic_a) == {
        ("2026-11-01", "google", "cpc", "Implants - Search"): 1250,
        ("2026-11-01", "google", "cpc", "Brand"): 123456,
        ("2026-11-02", "google", "cpc", "Implants - Search"): 990,
        ("2026-11-02", "google", "cpc", "Brand"): 0,
    }


def test_a_campaign_named_total_is_spend_not_a_total_row(clinic_a: Any) -> None:
    """Google's total rows have no day; a campaign called "Total …" has one and is kept."""
    data = """Campaign report
Campaign,Day,Cost
Total Smile Makeover,2026-11-01,45.00
Totally Teeth,2026-11-01,12.50
Total: Account,,57.50
Total: Campaigns,--,57.50
"""
    parsed = parse_spend_csv(data.encode())
    result = _import(clinic_a, data)

    assert parsed.skipped_total_rows == 2
    assert result.rows == 2 and result.total_pence == 5750
    assert _stored(clinic_a) == {
        ("2026-11-01", "google", "cpc", "Total Smile Makeover"): 4500,
        ("2026-11-01", "google", "cpc", "Totally Teeth"): 1250,
    }


def test_a_google_export_saved_for_excel_is_utf16_and_tab_separated(clinic_a: Any) -> None:
    tabbed = GOOGLE.replace('"1,040"', "1040").replace('"12,000"', "12000")
    tabbed = tabbed.replace('"1,234.56"', "1234.56").replace('"1,061"', "1061")
    tabbed = tabbed.replace('"12,650"', "12650").replace('"1,256.96"', "1256.96")
    data = tabbed.replace(",", "\t").encode("utf-16")

    result = _import(clinic_a, data)

    assert result.rows == 4 and result.total_pence == 125696


def test_a_meta_ads_manager_export(clinic_a: Any) -> None:
    result = _import(clinic_a, META, source="instagram")

    assert result.rows == 3
    assert _stored(clinic_a) == {
        ("2026-11-01", "instagram", "paid_social", "Botox winter"): 1248,
        ("2026-11-02", "instagram", "paid_social", "Botox winter"): 2007,
        ("2026-11-02", "instagram", "paid_social", "Lip filler"): 0,
    }


def test_a_meta_export_with_the_day_breakdown(clinic_a: Any) -> None:
    data = (
        "Campaign name,Day,Impressions,Amount spent (GBP),Reporting starts,Reporting ends\n"
        "Botox winter,2026-11-01,1000,10.00,2026-11-01,2026-11-30\n"
        "Botox winter,2026-11-02,1000,11.00,2026-11-01,2026-11-30\n"
    )

    _import(clinic_a, data)

    assert _stored(clinic_a) == {
        ("2026-11-01", "facebook", "paid_social", "Botox winter"): 1000,
        ("2026-11-02", "facebook", "paid_social", "Botox winter"): 1100,
    }


def test_the_plain_layout(clinic_a: Any) -> None:
    _import(clinic_a, PLAIN)

    assert _stored(clinic_a) == {
        ("2026-11-01", "google", "cpc", "Implants - Search"): 1250,
        ("2026-11-01", "tiktok", "paid_social", "Teeth whitening"): 700,
    }


def test_importing_the_same_days_again_replaces_not_doubles(clinic_a: Any) -> None:
    _import(clinic_a, GOOGLE)
    corrected = GOOGLE.replace(
        "2026-11-02,Implants - Search,Enabled,Search,9,310,2.90%,GBP,1.10,9.90",
        "2026-11-02,Implants - Search,Enabled,Search,9,310,2.90%,GBP,1.10,19.90",
    )

    second = _import(clinic_a, corrected)

    assert second.replaced == 4
    stored = _stored(clinic_a)
    assert len(stored) == 4
    assert stored[("2026-11-02", "google", "cpc", "Implants - Search")] == 1990
    with clinic_scope(clinic_a.clinic.pk):
        assert AdSpendImport.objects.count() == 2
        assert set(AdSpend.objects.values_list("batch", flat=True)) == {second.batch.pk}


def test_rows_of_one_file_for_the_same_day_and_campaign_add_up(clinic_a: Any) -> None:
    data = (
        "Reporting starts,Reporting ends,Campaign name,Ad set name,Amount spent (GBP)\n"
        "2026-11-01,2026-11-01,Botox winter,Women 30-45,10.00\n"
        "2026-11-01,2026-11-01,Botox winter,Women 45-60,2.50\n"
    )

    _import(clinic_a, data)

    assert _stored(clinic_a) == {("2026-11-01", "facebook", "paid_social", "Botox winter"): 1250}


def _refusal(data: str | bytes, **options: Any) -> SpendImportRefused:
    raw = data.encode() if isinstance(data, str) else data
    with pytest.raises(SpendImportRefused) as caught:
        parse_spend_csv(raw, **options)
    return caught.value


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            GOOGLE.replace("2026-11-02,Implants", "2026-11-31,Implants"),
            "row 6, column 'Day': '2026-11-31' is not a date",
        ),
        (
            GOOGLE.replace("1.10,9.90", "1.10,9.9x"),
            "row 6, column 'Cost': '9.9x' is not an amount in pounds",
        ),
        (
            GOOGLE.replace("GBP,1.04,12.50", "USD,1.04,12.50"),
            "row 4, column 'Currency code': currency USD is not accepted",
        ),
        (
            META.replace("Amount spent (GBP)", "Amount spent (EUR)"),
            "row 1, column 'Amount spent (EUR)': currency EUR is not accepted",
        ),
        (
            META.replace("2026-11-02,2026-11-02,Botox", "2026-11-02,2026-11-08,Botox"),
            "row 3, column 'Reporting ends': the row covers 02/11/2026 to 08/11/2026",
        ),
        (
            PLAIN.replace("date,source,medium,campaign,spend", "date,source,campaign,spend,clicks"),
            "row 1, column 'clicks': unknown column",
        ),
        (
            PLAIN.replace(",7\n", ",-7\n"),
            "row 3, column 'spend': '-7' is negative",
        ),
        (
            PLAIN.replace(",12.50", ',"12,50"'),
            "row 2, column 'spend': '12,50' is not an amount in pounds",
        ),
        (
            PLAIN.replace(",12.50", ",12,50"),
            "row 2: has 6 cells but the header has 5",
        ),
        (
            PLAIN.replace("tiktok", ""),
            "row 3, column 'source': is empty",
        ),
        (
            PLAIN.replace(",12.50", ",1_250"),
            "row 2, column 'spend': '1_250' is not an amount in pounds",
        ),
        (
            PLAIN.replace(",12.50", ",£ 1e3"),
            "row 2, column 'spend': '£ 1e3' is not an amount in pounds",
        ),
        (
            PLAIN.replace("2026-11-01", "2099-11-01"),
            "row 2, column 'date': 2099-11-01 is in the future",
        ),
        (
            PLAIN.replace("01/11/2026", "01/11/0026"),
            "row 3, column 'date': 0026-11-01 is before 2000",
        ),
        ("name,email\nJo,jo@example.com\n", "row 1: no header row found"),
    ],
)
def test_a_broken_file_is_refused_naming_row_and_column(data: str, message: str) -> None:
    refused = _refusal(data)

    assert str(refused).startswith(message) or message in str(refused.problems[0])


def test_every_bad_row_is_listed_and_nothing_is_imported(clinic_a: Any) -> None:
    _import(clinic_a, PLAIN)
    broken = (
        "date,source,campaign,spend\n"
        "2026-11-03,google,Implants - Search,5.00\n"
        "2026-11-04,google,Implants - Search,lots\n"
        "yesterday,google,Implants - Search,5.00\n"
    )

    refused = _refusal(broken)

    assert [(p.row, p.column) for p in refused.problems] == [(3, "spend"), (4, "date")]
    assert "(and 1 more problem)" in refused.detail
    assert len(_stored(clinic_a)) == 2  # the earlier import only


def test_a_currency_other_than_gbp_is_refused_by_the_service_and_the_database(
    clinic_a: Any,
) -> None:
    from django.db import IntegrityError, transaction

    with clinic_scope(clinic_a.clinic.pk):
        batch = AdSpendImport.objects.create(source_format="api")
        with pytest.raises(IntegrityError), transaction.atomic():
            AdSpend.objects.create(
                date=dt.date(2026, 11, 1),
                source="google",
                campaign="x",
                spend_pence=1,
                currency="EUR",
                batch=batch,
            )


def test_roles_without_the_permission_cannot_import(clinic_a: Any) -> None:
    parsed = parse_spend_csv(PLAIN.encode())
    with clinic_scope(clinic_a.clinic.pk), pytest.raises(PermissionDenied):
        ad_spend_import(
            caller=clinic_a.caller("receptionist"), rows=parsed.rows, source_format="plain"
        )
