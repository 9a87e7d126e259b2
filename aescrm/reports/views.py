"""Staff pages: the attribution report (with CSV export) and the ad spend upload."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from aescrm.accounts.permissions import Perm
from aescrm.analytics.services import record as record_usage
from aescrm.audit.services import audit_record
from aescrm.core.problems import DomainError
from aescrm.reports.attribution import DEFAULT_MODEL, Report, attribution_report
from aescrm.reports.charts import revenue_and_spend
from aescrm.reports.export import GROUP_LABELS, MODEL_LABELS, report_csv_lines, report_filename
from aescrm.reports.forms import ReportFilterForm, SpendUploadForm
from aescrm.reports.models import AdSpendImport
from aescrm.reports.services import ad_spend_import
from aescrm.reports.spend_csv import MAX_BYTES, SpendImportRefused, parse_spend_csv
from aescrm.web.access import member_required
from aescrm.web.helpers import caller_of, clinic_of, local_today, query_string


def _report(request: HttpRequest, form: ReportFilterForm) -> Report | None:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    today = local_today(clinic_of(request))
    date_to = data.get("date_to") or today
    date_from = data.get("date_from") or date_to.replace(day=1)
    try:
        return attribution_report(
            caller=caller_of(request),
            clinic=clinic_of(request),
            date_from=date_from,
            date_to=date_to,
            group_by=data.get("group_by") or "source",
            model=data.get("model") or DEFAULT_MODEL,
        )
    except DomainError as exc:
        form.add_domain_error(exc, aliases={"from": "date_from", "to": "date_to"})
        return None


def _params(report: Report) -> dict[str, Any]:
    return {
        "date_from": report.date_from.isoformat(),
        "date_to": report.date_to.isoformat(),
        "group_by": report.group_by,
        "model": report.model,
    }


@member_required(Perm.REPORTS_VIEW)
def attribution(request: HttpRequest) -> HttpResponse:
    form = ReportFilterForm(request.GET or None)
    if not request.GET:
        today = local_today(clinic_of(request))
        form = ReportFilterForm(
            {
                "date_from": today.replace(day=1),
                "date_to": today,
                "group_by": "source",
                "model": DEFAULT_MODEL,
            }
        )
    report = _report(request, form)
    caller = caller_of(request)
    if report is not None:
        record_usage("report_viewed", caller.clinic_id, caller.user_id)
    return render(
        request,
        "reports/attribution.html",
        {
            "form": form,
            "report": report,
            "chart": revenue_and_spend(report) if report else None,
            "group_label": GROUP_LABELS.get(report.group_by, "") if report else "",
            "model_label": MODEL_LABELS.get(report.model, "") if report else "",
            "export_url": (
                f"{reverse('web:report_export')}?{query_string(**_params(report))}"
                if report
                else None
            ),
            "can_import": caller.can(Perm.AD_SPEND_EDIT),
        },
        status=200 if report else 400,
    )


@member_required(Perm.REPORTS_VIEW)
def attribution_csv(request: HttpRequest) -> HttpResponse:
    form = ReportFilterForm(request.GET)
    report = _report(request, form)
    if report is None:
        return redirect("web:reports")
    clinic = clinic_of(request)
    caller = caller_of(request)
    record_usage("export_created", caller.clinic_id, caller.user_id)
    audit_record(
        "report.export",
        object_type="attribution_report",
        detail={k: str(v) for k, v in _params(report).items()},
    )
    response = HttpResponse(
        "".join(report_csv_lines(report)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{report_filename(report, clinic.slug)}"'
    )
    response["Cache-Control"] = "no-store"
    return response


@member_required(Perm.AD_SPEND_EDIT)
@require_http_methods(["GET", "POST"])
def ad_spend(request: HttpRequest) -> HttpResponse:
    form = SpendUploadForm(request.POST or None, request.FILES or None)
    problems: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            form.add_error("file", f"The file is larger than {MAX_BYTES // 1024 // 1024} MB.")
        else:
            try:
                parsed = parse_spend_csv(
                    upload.read(),
                    source=form.cleaned_data["source"].strip(),
                    medium=form.cleaned_data["medium"].strip() or None,
                )
                result = ad_spend_import(
                    caller=caller_of(request),
                    rows=parsed.rows,
                    source_format=parsed.source_format,
                    filename=upload.name or "",
                )
            except SpendImportRefused as exc:
                problems = exc.problems
                form.add_error(
                    "file",
                    f"Nothing was imported: {len(problems)} problem"
                    f"{'s' if len(problems) != 1 else ''} in the file (listed below).",
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(
                    request,
                    f"Imported {result.rows} day{'s' if result.rows != 1 else ''} of campaign "
                    f"spend (£{result.total_pence / 100:,.2f}); {result.replaced} replaced "
                    "earlier figures for the same day and campaign.",
                )
                return redirect("web:ad_spend")
    return render(
        request,
        "reports/ad_spend.html",
        {
            "form": form,
            "problems": problems[:50],
            "more_problems": max(0, len(problems) - 50),
            "imports": AdSpendImport.objects.select_related("imported_by")[:20],
        },
        status=400 if form.errors else 200,
    )
