"""Staff pages: the erasure plan (what goes, what stays and why), confirm, done."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from aescrm.accounts.permissions import Perm
from aescrm.core.problems import DomainError
from aescrm.erasure import selectors, services
from aescrm.erasure.forms import ErasureForm
from aescrm.erasure.plan import done_lines
from aescrm.web.access import member_required
from aescrm.web.helpers import caller_of


@member_required(Perm.PATIENT_ERASE)
@require_http_methods(["GET", "POST"])
def erasure_plan(request: HttpRequest, patient_id: Any) -> HttpResponse:
    caller = caller_of(request)
    patient = selectors.patient_to_erase(caller=caller, patient_id=patient_id)
    plan = selectors.erasure_plan(caller=caller, patient=patient)
    form = ErasureForm(request.POST or None, full_name=patient.full_name)
    # Reached from a request in the privacy register: the erasure completes it.
    privacy_request = selectors.erasure_request_for(patient, request.GET.get("request", ""))
    if request.method == "POST" and not plan.blocked and form.is_valid():
        try:
            done = services.erase_patient(
                patient,
                by=caller,
                reason=form.cleaned_data["reason"],
                privacy_request_id=privacy_request.pk if privacy_request else None,
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            return redirect("erasure:done", erasure_id=done.pk)
    return render(
        request,
        "erasure/plan.html",
        {"patient": patient, "plan": plan, "form": form, "privacy_request": privacy_request},
        status=400 if form.errors else 409 if plan.blocked and request.method == "POST" else 200,
    )


@member_required(Perm.PATIENT_ERASE)
def erasure_done(request: HttpRequest, erasure_id: Any) -> HttpResponse:
    erasure = selectors.erasure_get(caller=caller_of(request), erasure_id=erasure_id)
    return render(
        request,
        "erasure/done.html",
        {
            "erasure": erasure,
            "removed": done_lines(erasure.removed, []),
            "kept": done_lines(erasure.kept, [], kept=True),
            "suppressed": [s.get_kind_display().lower() for s in erasure.suppressions.all()],
        },
    )
