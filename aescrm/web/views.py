"""Dashboard, enquiries, audit log and API keys. Patients and calendar have their own modules."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from aescrm.accounts import key_selectors
from aescrm.accounts import services as account_services
from aescrm.accounts.permissions import Perm, Scope
from aescrm.accounts.website import website_update
from aescrm.audit import selectors as audit_selectors
from aescrm.audit.export import audit_export
from aescrm.core.problems import DomainError
from aescrm.patients import calendar
from aescrm.web.access import member_required
from aescrm.web.forms import ApiKeyForm, AuditFilterForm, WebsiteForm
from aescrm.web.helpers import caller_of, clinic_of, local_midnight, local_today, query_string


@member_required()
def dashboard(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    clinic = clinic_of(request)
    today = local_today(clinic)
    counts = calendar.dashboard_counts(
        caller=caller,
        day_start=local_midnight(clinic, today),
        day_end=local_midnight(clinic, today + dt.timedelta(days=1)),
    )
    month = None
    if caller.can(Perm.REPORTS_VIEW):
        from aescrm.reports.dashboard import month_summary

        month = month_summary(caller=caller, clinic=clinic)
    from aescrm.automation.selectors import dashboard_notifications

    onboarding = None
    if caller.can(Perm.SETTINGS_MANAGE) or caller.can(Perm.MEMBERS_MANAGE):
        from aescrm.accounts.onboarding import checklist

        onboarding = checklist(clinic)
    usage_notices = []
    if caller.can(Perm.USAGE_VIEW):
        from aescrm.billing.limits import usage_notices as notices_of

        # Plan limits at 80% and 100% (docs/decisions/0033), linked to Settings → Usage.
        usage_notices = notices_of(clinic.pk)

    return render(
        request,
        "web/dashboard.html",
        {
            "counts": counts,
            "today": today,
            "month": month,
            "can_create_patient": caller.can(Perm.PATIENT_EDIT),
            "can_book": caller.can(Perm.APPOINTMENT_EDIT),
            "notifications": dashboard_notifications(caller=caller),
            "onboarding": onboarding,
            "usage_notices": usage_notices,
            "link_to_usage": True,
        },
    )


@member_required(Perm.ENQUIRY_VIEW)
def enquiry_list(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    before = request.GET.get("before") or None
    try:
        page = calendar.enquiry_page(caller=caller, before=before)
    except DomainError as exc:
        messages.error(request, exc.detail[:1].upper() + exc.detail[1:] + ".")
        return redirect("web:enquiries")
    return render(
        request,
        "web/enquiries.html",
        {
            "enquiries": page.enquiries,
            "next_url": (
                f"{reverse('web:enquiries')}?{query_string(before=page.next_before)}"
                if page.next_before
                else None
            ),
            "paged": bool(before),
        },
    )


def _audit_filters(form: AuditFilterForm) -> dict[str, Any]:
    data = form.cleaned_data if form.is_valid() else {}
    return {
        "action": (data.get("action") or "").strip() or None,
        "object_id": (data.get("object_id") or "").strip() or None,
        "actor": (data.get("actor") or "").strip() or None,
    }


@member_required(Perm.AUDIT_VIEW)
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET)
    filters = _audit_filters(form)
    before = form.cleaned_data.get("before") if form.is_valid() else None
    page = audit_selectors.audit_page(**filters, before=before, limit=100)
    return render(
        request,
        "web/audit.html",
        {
            "form": form,
            "entries": page.entries,
            "next_url": (
                f"{reverse('web:audit')}?{query_string(**filters, before=page.next_before)}"
                if page.next_before
                else None
            ),
            "paged": bool(before),
            "export_url": f"{reverse('web:audit_export')}?{query_string(**filters)}",
            "first_url": f"{reverse('web:audit')}?{query_string(**filters)}",
        },
        status=200 if form.is_valid() else 400,
    )


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


@member_required(Perm.AUDIT_VIEW)
def audit_export_csv(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        return redirect("web:audit")
    rows = audit_export(caller=caller_of(request), **_audit_filters(form))
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        for row in rows:
            yield writer.writerow(row)

    clinic = clinic_of(request)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{clinic.slug}-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response  # type: ignore[return-value]


SCOPE_LABELS = {
    Scope.PATIENTS_READ: "Read patients (names, contact details, notes)",
    Scope.PATIENTS_WRITE: "Create, change and delete patients",
    Scope.ENQUIRIES_READ: "Read enquiries and leads (with scores)",
    Scope.ENQUIRIES_WRITE: "Create enquiries, move and assign leads",
    Scope.APPOINTMENTS_READ: "Read appointments",
    Scope.APPOINTMENTS_WRITE: "Book and change appointments",
    Scope.APPOINTMENTS_OVERRIDE: "Book outside working hours or in the past (with a reason)",
    Scope.CATALOGUE_READ: "Read treatments and practitioners",
    Scope.CATALOGUE_WRITE: "Add, change and archive treatments and practitioners",
    Scope.AUDIT_READ: "Read the audit log",
    Scope.CONVERSIONS_READ: "Read ad conversions (Google Ads import file)",
    Scope.REPORTS_READ: "Read attribution reports",
    Scope.AD_SPEND_WRITE: "Import ad spend",
    Scope.MESSAGES_READ: "Read messages and message templates",
    Scope.MESSAGES_WRITE: "Send messages",
    Scope.AUTOMATIONS_READ: "Read automation rules and patients' automation logs",
    Scope.PRIVACY_READ: "Read the privacy requests register",
    Scope.PRIVACY_WRITE: "Log privacy requests and record their progress",
    Scope.PATIENTS_EXPORT: "Export everything held about a patient (subject access)",
    Scope.PATIENTS_ERASE: "Erase patients (irreversible) and add them to the suppression list",
    Scope.CLINIC_EXPORT: "Export all of the clinic's data in one file (owners only)",
    Scope.TEAM_READ: "Read the team: members, their roles and pending invitations",
    Scope.TEAM_WRITE: "Invite staff, change their roles and remove them (never an owner)",
    Scope.USAGE_READ: "Read the plan's usage this period (SMS, email, chat, seats)",
}
SCOPE_CHOICES = [(s.value, f"{SCOPE_LABELS.get(s, s.value)} ({s.value})") for s in Scope]


@member_required(Perm.API_KEYS_MANAGE)
@require_http_methods(["GET", "POST"])
def api_keys(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    form = ApiKeyForm(request.POST or None, scope_choices=SCOPE_CHOICES)
    if request.method == "POST" and form.is_valid():
        try:
            key, secret = account_services.api_key_create(
                clinic=clinic_of(request),
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                created_by=request.user,  # type: ignore[arg-type]
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            # Shown once, on this response only: never stored, never cached.
            response = render(
                request, "web/settings/api_key_created.html", {"key": key, "secret": secret}
            )
            response["Cache-Control"] = "no-store"
            return response
    return render(
        request,
        "web/settings/api_keys.html",
        {
            "form": form,
            "keys": key_selectors.api_keys_of_clinic(caller=caller),
            "scope_labels": {s.value: SCOPE_LABELS[s] for s in Scope},
        },
        status=400 if form.errors else 200,
    )


@member_required(Perm.API_KEYS_MANAGE)
@require_POST
def api_key_revoke(request: HttpRequest, key_id: Any) -> HttpResponse:
    key = key_selectors.api_key_get(caller=caller_of(request), key_id=key_id)
    if key.revoked_at is None:
        account_services.api_key_revoke(key=key)
        messages.success(request, f"The key “{key.name}” ({key.prefix}…) is revoked.")
    else:
        messages.info(request, f"The key “{key.name}” was already revoked.")
    return redirect("web:api_keys")


@member_required(Perm.SETTINGS_MANAGE)
@require_http_methods(["GET", "POST"])
def website_settings(request: HttpRequest) -> HttpResponse:
    """The widget snippet with this clinic's public key, and where it may be used."""
    clinic = clinic_of(request)
    initial = {
        "website_domains": "\n".join(clinic.website_domains or []),
        "thank_you_url": clinic.thank_you_url,
    }
    form = WebsiteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = website_update(
                caller=caller_of(request),
                clinic=clinic,
                domains=form.cleaned_data["website_domains"].splitlines(),
                thank_you_url=form.cleaned_data["thank_you_url"],
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(
                request, "Website settings saved." if changed else "Nothing has changed."
            )
            return redirect("web:website_settings")
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    return render(
        request,
        "web/settings/website.html",
        {
            "form": form,
            "clinic": clinic,
            "widget_url": f"{base}/widget.js",
        },
        status=400 if form.errors else 200,
    )
