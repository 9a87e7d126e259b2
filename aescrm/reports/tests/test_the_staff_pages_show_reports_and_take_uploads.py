"""The report page, its CSV export, the spend upload and the dashboard's month block."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.reports.models import AdSpend
from aescrm.reports.tests.dataset import build
from aescrm.reports.tests.test_it_imports_ad_spend_exports import GOOGLE
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db

ALLOWED = {"owner", "manager", "marketer", "auditor"}
UPLOADERS = {"owner", "manager", "marketer"}
ROLES = ["owner", "manager", "clinician", "receptionist", "marketer", "auditor"]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_pages_it_may_use(clinic_a: Any, role: str) -> None:
    client = member_client(clinic_a, role)

    assert client.get("/reports/").status_code == (200 if role in ALLOWED else 403)
    assert client.get("/reports/attribution.csv").status_code == (200 if role in ALLOWED else 403)
    assert client.get("/reports/ad-spend").status_code == (200 if role in UPLOADERS else 403)


def test_the_report_page_shows_the_table_and_a_chart_without_scripts(clinic_a: Any) -> None:
    data = build(clinic_a, enquiries=16)

    page = text(
        member_client(clinic_a, "marketer").get(
            "/reports/",
            {"date_from": str(data.start), "date_to": str(data.end), "group_by": "campaign"},
        )
    )

    assert '<table class="report" id="attribution-table">' in page
    assert "<svg" in page and "<rect" in page
    assert "<script>" not in page and "style=" not in page
    assert "implants-nov" in page and "(direct)" in page
    assert "£" in page
    assert page.count("<h1") == 1


def test_a_range_backwards_is_a_form_error(clinic_a: Any) -> None:
    response = member_client(clinic_a, "owner").get(
        "/reports/", {"date_from": "2026-11-10", "date_to": "2026-11-01"}
    )

    assert response.status_code == 400
    assert "From must be on or before to" in text(response)


def test_the_csv_export_downloads_and_is_audited(clinic_a: Any) -> None:
    data = build(clinic_a, enquiries=12)

    response = member_client(clinic_a, "manager").get(
        "/reports/attribution.csv",
        {"date_from": str(data.start), "date_to": str(data.end), "group_by": "keyword"},
    )

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("Source,Campaign,Keyword,Leads")
    assert any(",n/a," in line for line in lines[1:-1])
    with clinic_scope(clinic_a.clinic.pk):
        assert AuditEntry.objects.filter(action="report.export").count() == 1


def test_a_marketer_uploads_a_google_export(clinic_a: Any) -> None:
    client = member_client(clinic_a, "marketer")
    upload = SimpleUploadedFile("Campaign report.csv", GOOGLE.encode(), content_type="text/csv")

    response = client.post("/reports/ad-spend", {"file": upload, "source": "", "medium": ""})

    assert response.status_code == 302
    page = text(client.get("/reports/ad-spend"))
    assert "Imported 4 days of campaign spend (£1,256.96)" in page
    assert "Campaign report.csv" in page
    with clinic_scope(clinic_a.clinic.pk):
        assert AdSpend.objects.count() == 4


def test_a_broken_upload_lists_the_problems_and_imports_nothing(clinic_a: Any) -> None:
    client = member_client(clinic_a, "owner")
    broken = GOOGLE.replace("1.10,9.90", "1.10,nine").replace(
        "2026-11-01,Brand", "2026-13-01,Brand"
    )
    upload = SimpleUploadedFile("broken.csv", broken.encode(), content_type="text/csv")

    response = client.post("/reports/ad-spend", {"file": upload})

    assert response.status_code == 400
    page = text(response)
    assert "Nothing was imported: 2 problems in the file" in page
    assert "row 5, column &#x27;Day&#x27;: &#x27;2026-13-01&#x27; is not a date" in page
    assert "row 6, column &#x27;Cost&#x27;" in page
    with clinic_scope(clinic_a.clinic.pk):
        assert not AdSpend.objects.exists()


def test_another_clinic_sees_none_of_clinic_a(clinic_a: Any, clinic_b: Any) -> None:
    data = build(clinic_a, enquiries=12)
    outsider = member_client(clinic_b, "owner")

    page = text(
        outsider.get(
            "/reports/",
            {"date_from": str(data.start), "date_to": str(data.end), "group_by": "campaign"},
        )
    )
    csv = outsider.get(
        "/reports/attribution.csv", {"date_from": str(data.start), "date_to": str(data.end)}
    ).content.decode()
    spend_page = text(outsider.get("/reports/ad-spend"))
    dashboard = text(outsider.get("/"))

    assert "implants-nov" not in page and "Nothing happened in this period." in page
    assert "google" not in csv and len(csv.splitlines()) == 2
    assert "No spend imported yet." in spend_page
    assert '<p class="figure" id="month-leads">0</p>' in dashboard


def test_the_dashboard_shows_this_month_to_those_who_see_reports(clinic_a: Any) -> None:
    build(clinic_a, enquiries=16)

    owner = text(member_client(clinic_a, "owner").get("/"))
    receptionist = text(member_client(clinic_a, "receptionist").get("/"))

    assert 'id="this-month"' in owner and 'id="month-show-rate"' in owner
    assert 'id="month-best"' in owner
    assert 'id="this-month"' not in receptionist
