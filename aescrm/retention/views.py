"""Settings → Retention: the policies in force, the last runs, and legal holds.

Everyone with ``RETENTION_VIEW`` sees the page; ``RETENTION_MANAGE`` places and
lifts holds and changes a period. A patient's hold is placed from their record
(``patient_hold``). Every query runs in the member's clinic scope, so another
clinic's hold or patient is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from aescrm.accounts.permissions import Perm
from aescrm.core.problems import DomainError, NotFound
from aescrm.patients import selectors as patient_selectors
from aescrm.retention import policies, services
from aescrm.retention.forms import HoldForm, LiftForm, PolicyForm
from aescrm.retention.models import LegalHold, RetentionRun
from aescrm.web.access import member_required
from aescrm.web.helpers import caller_of


def _policy_rows() -> list[dict[str, Any]]:
    rows = []
    for cat in policies.CATEGORIES:
        months = services.policy_months(cat)
        rows.append(
            {
                "category": cat,
                "months": months,
                "period": policies.period_label(cat, months),
                "own": cat.overridable and months != cat.default_months,
                "default": policies.period_label(cat, cat.default_months),
                "minimum": (
                    policies.period_words(cat.minimum_months) if cat.minimum_months else ""
                ),
            }
        )
    return rows


def _last_run(dry_run: bool) -> dict[str, Any] | None:
    run = RetentionRun.objects.filter(dry_run=dry_run, finished_at__isnull=False).first()
    if run is None:
        return None
    labels = {c.key: c.label for c in policies.CATEGORIES}
    return {
        "run": run,
        "rows": [
            {"label": labels.get(key, key), **value}
            for key, value in run.results.items()
            if key in labels
        ],
    }


def _page(
    request: HttpRequest, *, hold_form: HoldForm | None = None, status: int = 200
) -> HttpResponse:
    caller = caller_of(request)
    holds = list(LegalHold.objects.select_related("patient", "placed_by", "lifted_by")[:100])
    return render(
        request,
        "retention/settings.html",
        {
            "policies": _policy_rows(),
            "last_run": _last_run(False),
            "last_dry_run": _last_run(True),
            "active_holds": [h for h in holds if h.active],
            "lifted_holds": [h for h in holds if not h.active][:20],
            "can_manage": caller.can(Perm.RETENTION_MANAGE),
            "hold_form": hold_form or HoldForm(),
            "lift_form": LiftForm(),
        },
        status=status,
    )


@member_required(Perm.RETENTION_VIEW)
@require_http_methods(["GET"])
def retention_settings(request: HttpRequest) -> HttpResponse:
    return _page(request)


@member_required(Perm.RETENTION_MANAGE)
@require_POST
def clinic_hold_place(request: HttpRequest) -> HttpResponse:
    form = HoldForm(request.POST)
    if form.is_valid():
        try:
            services.legal_hold_place(
                caller=caller_of(request), patient=None, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            form.add_error("reason", exc.detail)
        else:
            messages.success(
                request, "The clinic is under a legal hold: retention deletes nothing."
            )
            return redirect("retention:settings")
    return _page(request, hold_form=form, status=422)


@member_required(Perm.RETENTION_MANAGE)
@require_POST
def hold_lift(request: HttpRequest, hold_id: Any) -> HttpResponse:
    hold = LegalHold.objects.filter(pk=hold_id).first()
    if hold is None:
        raise NotFound("no such legal hold")
    form = LiftForm(request.POST)
    back = (
        reverse("retention:patient_hold", args=[hold.patient_id])
        if hold.patient_id and request.POST.get("from") == "patient"
        else reverse("retention:settings")
    )
    if not form.is_valid():
        messages.error(request, "Say why the hold can be lifted.")
        return redirect(back)
    try:
        services.legal_hold_lift(
            caller=caller_of(request), hold_id=hold.pk, reason=form.cleaned_data["lift_reason"]
        )
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.detail[:1].upper() + exc.detail[1:] + ".")
    else:
        messages.success(request, "Legal hold lifted: retention applies again from the next run.")
    return redirect(back)


@member_required(Perm.RETENTION_MANAGE)
@require_POST
def policy_set(request: HttpRequest, category: str) -> HttpResponse:
    form = PolicyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the period as a whole number of months from 1 to 1200.")
        return redirect("retention:settings")
    try:
        services.policy_set(
            caller=caller_of(request), category=category, months=form.cleaned_data["months"]
        )
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.detail[:1].upper() + exc.detail[1:] + ".")
    else:
        messages.success(request, "Retention period saved.")
    return redirect("retention:settings")


@member_required(Perm.RETENTION_MANAGE)
@require_http_methods(["GET", "POST"])
def patient_hold(request: HttpRequest, patient_id: Any) -> HttpResponse:
    """A patient's legal holds, and the form that places one (managers and owners)."""
    caller = caller_of(request)
    patient = patient_selectors.patient_get(
        caller=caller, patient_id=patient_id, purpose="legal hold"
    )
    form = HoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.legal_hold_place(
                caller=caller, patient=patient, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            form.add_error("reason", exc.detail[:1].upper() + exc.detail[1:])
        else:
            messages.success(request, "Legal hold placed: retention keeps this patient’s data.")
            return redirect("retention:patient_hold", patient.pk)
    return render(
        request,
        "retention/patient_hold.html",
        {
            "patient": patient,
            "holds": list(LegalHold.objects.filter(patient=patient).select_related("placed_by")),
            "clinic_hold": services.clinic_hold(),
            "form": form,
            "lift_form": LiftForm(),
            "can_manage": caller.can(Perm.RETENTION_MANAGE),
        },
        status=422 if form.errors else 200,
    )
