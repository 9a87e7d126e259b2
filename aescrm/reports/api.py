"""JSON API: the attribution report (scope reports:read) and ad spend import (ad_spend:write)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status
from pydantic import Field, StringConstraints, field_validator

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Clinic
from aescrm.accounts.permissions import Perm
from aescrm.api.common import ERRORS, caller_of
from aescrm.api.schemas import Clean, Strict
from aescrm.audit.services import audit_record
from aescrm.reports.attribution import Report, attribution_report
from aescrm.reports.export import report_csv_lines, report_filename
from aescrm.reports.models import SpendFormat
from aescrm.reports.services import ad_spend_import
from aescrm.reports.spend_csv import SpendRow, implausible_day

router = Router(tags=["reports"])

Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]


class ReportParams(Clean):
    date_from: dt.date | None = Field(
        default=None, alias="from", description="First day (clinic time); default: 1st of month"
    )
    date_to: dt.date | None = Field(
        default=None, alias="to", description="Last day, inclusive (clinic time); default: today"
    )
    group_by: Literal["source", "campaign", "keyword"] = "source"
    model: Literal["first_touch", "last_touch"] = "last_touch"


class ReportRowOut(Schema):
    source: str | None = None
    medium: str | None = None
    campaign: str | None = None
    keyword: str | None = None
    leads: int
    booked: int
    attended: int
    revenue_pence: int
    spend_pence: int | None = Field(
        description="null at keyword level: exports carry no keyword spend"
    )
    cost_per_lead_pence: int | None
    cost_per_booking_pence: int | None
    roas: float | None = Field(description="revenue / spend, two decimal places")
    median_speed_to_lead_seconds: float | None


class ReportOut(Schema):
    from_: dt.date = Field(alias="from")
    to: dt.date
    group_by: str
    model: str
    currency: str
    time_zone: str
    rows: list[ReportRowOut]
    totals: ReportRowOut


class SpendRowIn(Strict):
    date: dt.date
    source: Label
    medium: Annotated[str, StringConstraints(strip_whitespace=True, max_length=255)] = ""
    campaign: Label
    spend_pence: int = Field(ge=0, le=10**11)
    currency: str = "GBP"

    @field_validator("date")
    @classmethod
    def _plausible(cls, value: dt.date) -> dt.date:
        problem = implausible_day(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("currency")
    @classmethod
    def _gbp(cls, value: str) -> str:
        if value.strip().upper() != "GBP":
            raise ValueError(f"currency {value!r} is not accepted: spend is imported in GBP only")
        return "GBP"


class AdSpendIn(Strict):
    rows: list[SpendRowIn] = Field(min_length=1, max_length=50_000)


class AdSpendOut(Schema):
    import_id: str
    rows: int
    replaced: int
    total_pence: int


def _clinic(caller: Caller) -> Clinic:
    return Clinic.objects.get(pk=caller.clinic_id)


def _report(request: HttpRequest, params: ReportParams) -> tuple[Report, Clinic]:
    caller = caller_of(request)
    caller.require(Perm.REPORTS_VIEW)
    clinic = _clinic(caller)
    today = dt.datetime.now(clinic.tz).date()
    date_to = params.date_to or today
    date_from = params.date_from or date_to.replace(day=1)
    report = attribution_report(
        caller=caller,
        clinic=clinic,
        date_from=date_from,
        date_to=date_to,
        group_by=params.group_by,
        model=params.model,
    )
    return report, clinic


@router.get("/reports/attribution", response={200: ReportOut, **ERRORS}, by_alias=True)
def attribution(request: HttpRequest, params: Query[ReportParams]) -> dict[str, Any]:
    report, clinic = _report(request, params)
    return {
        "from": report.date_from,
        "to": report.date_to,
        "group_by": report.group_by,
        "model": report.model,
        "currency": "GBP",
        "time_zone": clinic.timezone,
        "rows": [r.as_dict() for r in report.rows],
        "totals": report.totals.as_dict(),
    }


@router.get("/reports/attribution.csv", response={200: None, **ERRORS})
def attribution_csv(request: HttpRequest, params: Query[ReportParams]) -> HttpResponse:
    report, clinic = _report(request, params)
    audit_record(
        "report.export",
        object_type="attribution_report",
        detail={
            "from": report.date_from.isoformat(),
            "to": report.date_to.isoformat(),
            "group_by": report.group_by,
            "model": report.model,
        },
    )
    response = HttpResponse(
        "".join(report_csv_lines(report)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{report_filename(report, clinic.slug)}"'
    )
    response["Cache-Control"] = "no-store"
    return response


@router.post("/ad-spend", response={201: AdSpendOut, **ERRORS})
def import_ad_spend(request: HttpRequest, payload: AdSpendIn) -> Status[dict[str, Any]]:
    caller = caller_of(request)
    caller.require(Perm.AD_SPEND_EDIT)
    result = ad_spend_import(
        caller=caller,
        rows=[
            SpendRow(
                date=r.date,
                source=r.source,
                medium=r.medium,
                campaign=r.campaign,
                spend_pence=r.spend_pence,
                row=i,
            )
            for i, r in enumerate(payload.rows)
        ],
        source_format=SpendFormat.API,
    )
    return Status(
        201,
        {
            "import_id": str(result.batch.pk),
            "rows": result.rows,
            "replaced": result.replaced,
            "total_pence": result.total_pence,
        },
    )
