"""Account holders' page (their data, closing the account), the owner's "Support access"
page, and AES-CRM staff's support requests."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aescrm.accounts.middleware import SESSION_CLINIC_KEY, SESSION_SUPPORT_GRANT_KEY
from aescrm.accounts.models import Clinic
from aescrm.accounts.permissions import Perm
from aescrm.core.problems import DomainError
from aescrm.core.tenancy import unscoped
from aescrm.platform_privacy import account, support
from aescrm.platform_privacy.models import MAX_GRANT_HOURS, SupportGrant
from aescrm.web.access import member_required, staff_required
from aescrm.web.helpers import caller_of


@login_required
@require_GET
def account_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "platform_privacy/account.html",
        {"sole_owner_of": account.last_owner_of(request.user)},  # type: ignore[arg-type]
    )


@login_required
@require_GET
def account_export(request: HttpRequest) -> HttpResponse:
    data = account.account_export(request.user)  # type: ignore[arg-type]
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="aescrm-account.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def account_close(request: HttpRequest) -> HttpResponse:
    try:
        account.account_close(
            user=request.user,  # type: ignore[arg-type]
            password=request.POST.get("password", ""),
        )
    except DomainError as exc:
        return render(
            request,
            "platform_privacy/account.html",
            {
                "sole_owner_of": account.last_owner_of(request.user),  # type: ignore[arg-type]
                "close_error": exc.detail[0].upper() + exc.detail[1:] + ".",
            },
            status=exc.status,
        )
    logout(request)
    request.membership = None  # type: ignore[attr-defined]
    return render(request, "platform_privacy/closed.html")


# --- The clinic owner's side -------------------------------------------------------


@member_required(Perm.SUPPORT_ACCESS_MANAGE)
@require_GET
def support_access(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "platform_privacy/support_access.html",
        {"grants": support.grants_with_views(), "now": timezone.now()},
    )


def _decide(request: HttpRequest, grant_id: Any, action: str) -> HttpResponse:
    caller = caller_of(request)
    try:
        if action == "revoke":
            support.grant_revoke(caller=caller, grant_id=grant_id)
        else:
            support.grant_decide(caller=caller, grant_id=grant_id, approve=action == "approve")
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.detail[0].upper() + exc.detail[1:] + ".")
    else:
        messages.success(
            request,
            {
                "approve": "Access approved.",
                "deny": "Request denied.",
                "revoke": "Access ended.",
            }[action],
        )
    return redirect("platform_privacy:support_access")


@member_required(Perm.SUPPORT_ACCESS_MANAGE)
@require_POST
def support_approve(request: HttpRequest, grant_id: Any) -> HttpResponse:
    return _decide(request, grant_id, "approve")


@member_required(Perm.SUPPORT_ACCESS_MANAGE)
@require_POST
def support_deny(request: HttpRequest, grant_id: Any) -> HttpResponse:
    return _decide(request, grant_id, "deny")


@member_required(Perm.SUPPORT_ACCESS_MANAGE)
@require_POST
def support_revoke(request: HttpRequest, grant_id: Any) -> HttpResponse:
    return _decide(request, grant_id, "revoke")


# --- AES-CRM staff's side ----------------------------------------------------------


def _staff(request: HttpRequest) -> Any:
    user = request.user
    if not user.is_authenticated or not user.is_staff:
        raise Http404
    return user


@staff_required
@require_http_methods(["GET", "POST"])
def staff_support(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    error = ""
    if request.method == "POST":
        with unscoped("AES-CRM staff choose the clinic they ask support access to"):
            clinic = Clinic.objects.filter(public_key=request.POST.get("clinic", "")).first()
        hours = request.POST.get("hours", "")
        try:
            if clinic is None:
                raise DomainError("choose a clinic", field="clinic")
            if not hours.isdigit():
                raise DomainError("hours must be a whole number", field="hours")
            support.grant_request(
                staff=staff, clinic=clinic, reason=request.POST.get("reason", ""), hours=int(hours)
            )
        except DomainError as exc:
            error = exc.detail[0].upper() + exc.detail[1:] + "."
        else:
            messages.success(request, f"Request sent to the owner of {clinic.name}.")
            return redirect("platform_privacy:staff_support")
    with unscoped("AES-CRM staff choose the clinic they ask support access to"):
        clinics = list(Clinic.objects.order_by("name"))
    return render(
        request,
        "platform_privacy/staff_support.html",
        {
            "clinics": clinics,
            "grants": support.grants_of_staff(staff),
            "max_hours": MAX_GRANT_HOURS,
            "error": error,
            "now": timezone.now(),
        },
        status=422 if error else 200,
    )


@staff_required
@require_POST
def staff_support_open(request: HttpRequest, grant_id: Any) -> HttpResponse:
    staff = _staff(request)
    with unscoped("finding the clinic of the staff member's own grant"):
        clinic_id = (
            SupportGrant.objects.filter(pk=grant_id, requested_by=staff)
            .values_list("clinic_id", flat=True)
            .first()
        )
    grant = (
        support.active_grant(user=staff, clinic_id=clinic_id, grant_id=grant_id)
        if clinic_id
        else None
    )
    if grant is None:
        raise Http404
    request.session[SESSION_SUPPORT_GRANT_KEY] = str(grant.pk)
    request.session[SESSION_CLINIC_KEY] = str(grant.clinic_id)
    return redirect("web:patients")


@login_required
@require_POST
def staff_support_leave(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_SUPPORT_GRANT_KEY, None)
    request.session.pop(SESSION_CLINIC_KEY, None)
    return redirect(reverse("platform_privacy:staff_support"))
