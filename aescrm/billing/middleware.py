"""Refuse changes on the staff pages of a read-only account (decision 0032).

Runs after ``ClinicScopeMiddleware``, inside the clinic's scope. The API is
guarded where a key is authenticated (``aescrm.api.auth``), since only then is
its clinic known.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from aescrm.billing import readonly


class ReadOnlyAccountMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        membership = getattr(request, "membership", None)
        if (
            membership is None
            or request.method in readonly.SAFE_METHODS
            or request.path.startswith("/api/")
            or getattr(request, "support_grant", None) is not None  # read-only already
            or readonly.staff_write_allowed(request.path)
        ):
            return self.get_response(request)
        state = readonly.request_state(request, membership.clinic_id)
        if state.can_change:
            return self.get_response(request)
        refusal = readonly.refusal(state)
        return render(
            request,
            "billing/read_only.html",
            {
                "message": refusal.detail,
                "account_status": state.status,
                "billing_url": readonly.BILLING_PATH,
                "can_manage_billing": membership.role == "owner",
            },
            status=403,
        )
