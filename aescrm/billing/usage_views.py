"""Settings → Usage: this period's SMS, email, chat and seats against the plan's limits.

Owners and managers see it (USAGE_VIEW); owners choose whether to allow
overage (USAGE_OVERAGE_MANAGE). It shows only the signed-in member's clinic.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from aescrm.accounts.permissions import Perm
from aescrm.billing import usage_services
from aescrm.core.problems import DomainError
from aescrm.web.access import member_required
from aescrm.web.helpers import caller_of


@member_required(Perm.USAGE_VIEW)
@require_http_methods(["GET"])
def usage_page(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    report = usage_services.usage_report(caller=caller)
    return render(
        request,
        "billing/usage.html",
        {
            "report": report,
            "usage_notices": report.notices,
            "can_manage_overage": caller.can(Perm.USAGE_OVERAGE_MANAGE) and report.billed,
        },
    )


@member_required(Perm.USAGE_OVERAGE_MANAGE)
@require_POST
def overage_set(request: HttpRequest) -> HttpResponse:
    allow = request.POST.get("allow_overage") == "on"
    try:
        usage_services.overage_set(caller=caller_of(request), allow=allow)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.detail[:1].upper() + exc.detail[1:] + ".")
    else:
        messages.success(
            request,
            "Overage is on: sending carries on past the limits and the extra is billed."
            if allow
            else "Overage is off: at a limit, messages are held until the period resets.",
        )
    return redirect("usage:page")
