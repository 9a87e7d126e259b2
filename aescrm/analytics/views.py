"""A member's own choice about usage analytics, from the Your account page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from aescrm.analytics.services import set_opt_out


@login_required
@require_POST
def account_analytics(request: HttpRequest) -> HttpResponse:
    opt_out = request.POST.get("opt_out") == "on"
    set_opt_out(user=request.user, opt_out=opt_out)
    messages.success(
        request,
        "You are no longer included in usage analytics."
        if opt_out
        else "You are included in usage analytics.",
    )
    return redirect(f"{reverse('platform_privacy:account')}#usage-analytics")
