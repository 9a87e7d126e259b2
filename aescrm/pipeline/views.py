"""Staff pages of the pipeline: the board (works without JavaScript), my tasks, settings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from aescrm.accounts.caller import Caller
from aescrm.accounts.permissions import Perm
from aescrm.core.problems import DomainError
from aescrm.patients.models import OPEN_STAGES, LeadStage, LostReason
from aescrm.pipeline import selectors, services
from aescrm.pipeline.models import DEFAULT_OPENING_HOURS, TaskKind
from aescrm.pipeline.selectors import Lead
from aescrm.pipeline.staff import staff_of
from aescrm.web.access import member_required
from aescrm.web.helpers import caller_of, clinic_of

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def duration_text(seconds: float | None) -> str:
    """ "45 s", "4 min 05 s", "2 h 10 min", "3 days": the same shapes as board.js."""
    if seconds is None:
        return ""
    s = int(max(0, seconds))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    if s < 86400:
        return f"{s // 3600} h {s % 3600 // 60} min"
    days = s // 86400
    return f"{days} day" if days == 1 else f"{days} days"


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _card_context(lead: Lead, caller: Caller, staff: list[Any], now: dt.datetime) -> dict[str, Any]:
    e = lead.enquiry
    allowed = services.ALLOWED_MOVES[e.stage]
    return {
        "lead": lead,
        "e": e,
        "name": e.patient.full_name if caller.can(Perm.PATIENT_VIEW) else "",
        # A lost note may describe health: shown only to those who may read notes.
        "lost_note": e.lost_note if caller.can(Perm.NOTES_VIEW) else "",
        "moves": [s for s in LeadStage if s.value in allowed],
        "waiting": e.stage == LeadStage.NEW and e.first_response_at is None,
        "age_text": duration_text((now - e.created_at).total_seconds()),
        "speed_text": duration_text(e.speed_to_lead),
        "can_edit": caller.can(Perm.ENQUIRY_EDIT),
        "staff": staff,
        "lost_reasons": LostReason.choices,
    }


@member_required(Perm.ENQUIRY_VIEW)
def board(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    clinic = clinic_of(request)
    now = timezone.now()
    staff = staff_of(clinic.pk)
    columns = selectors.board(caller=caller, clinic=clinic, now=now)
    return render(
        request,
        "pipeline/board.html",
        {
            "columns": [
                {
                    "stage": c.stage,
                    "more": c.more,
                    "cards": [_card_context(lead, caller, staff, now) for lead in c.leads],
                }
                for c in columns
            ],
            "open_stages": OPEN_STAGES,
            "can_settings": caller.can(Perm.SETTINGS_MANAGE),
        },
    )


def _respond(
    request: HttpRequest, enquiry_id: Any, message: str, error: DomainError | None = None
) -> HttpResponse:
    caller = caller_of(request)
    if _wants_json(request):
        if error is not None:
            return JsonResponse({"error": error.detail, "field": error.field}, status=error.status)
        now = timezone.now()
        enquiry = selectors.enquiry_get(caller=caller, enquiry_id=enquiry_id)
        (lead,) = selectors.score_leads([enquiry], now=now)
        card = _card_context(lead, caller, staff_of(caller.clinic_id), now)
        return JsonResponse(
            {
                "message": message,
                "stage": enquiry.stage,
                "html": render_to_string("pipeline/_card.html", card, request=request),
            }
        )
    if error is not None:
        messages.error(request, error.detail[:1].upper() + error.detail[1:] + ".")
    else:
        messages.success(request, message)
    return redirect(f"{reverse('web:pipeline')}#lead-{enquiry_id}")


@member_required(Perm.ENQUIRY_EDIT)
@require_POST
def lead_move(request: HttpRequest, enquiry_id: Any) -> HttpResponse:
    caller = caller_of(request)
    enquiry = selectors.enquiry_get(caller=caller, enquiry_id=enquiry_id)
    stage = request.POST.get("stage", "")
    try:
        services.lead_move(
            caller=caller,
            enquiry=enquiry,
            stage=stage,
            lost_reason=request.POST.get("lost_reason", "") if stage == LeadStage.LOST else "",
            lost_note=request.POST.get("lost_note", "") if stage == LeadStage.LOST else "",
        )
    except DomainError as exc:
        return _respond(request, enquiry.pk, "", exc)
    label = LeadStage(enquiry.stage).label
    who = enquiry.patient.full_name if caller.can(Perm.PATIENT_VIEW) else "The lead"
    return _respond(request, enquiry.pk, f"Moved {who} to {label}.")


@member_required(Perm.ENQUIRY_EDIT)
@require_POST
def lead_assign(request: HttpRequest, enquiry_id: Any) -> HttpResponse:
    caller = caller_of(request)
    enquiry = selectors.enquiry_get(caller=caller, enquiry_id=enquiry_id)
    try:
        services.lead_assign(
            caller=caller, enquiry=enquiry, user_id=request.POST.get("assigned_to") or None
        )
    except DomainError as exc:
        return _respond(request, enquiry.pk, "", exc)
    return _respond(request, enquiry.pk, "Assignment saved.")


@member_required(Perm.ENQUIRY_EDIT)
@require_POST
def lead_contact(request: HttpRequest, enquiry_id: Any) -> HttpResponse:
    caller = caller_of(request)
    enquiry = selectors.enquiry_get(caller=caller, enquiry_id=enquiry_id)
    first = services.lead_log_contact(caller=caller, enquiry=enquiry)
    return _respond(
        request, enquiry.pk, "Contact logged." if first else "Contact logged (not the first)."
    )


def _parse_due(clinic: Any, day: str, at: str) -> dt.datetime:
    try:
        local = dt.datetime.combine(dt.date.fromisoformat(day), dt.time.fromisoformat(at))
    except ValueError as exc:
        raise DomainError("enter the due date and time", field="due_at") from exc
    return local.replace(tzinfo=clinic.tz)


@member_required(Perm.ENQUIRY_EDIT)
@require_http_methods(["GET", "POST"])
def tasks(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    clinic = clinic_of(request)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            enquiry_id = request.POST.get("enquiry") or None
            enquiry = (
                selectors.enquiry_get(caller=caller, enquiry_id=enquiry_id) if enquiry_id else None
            )
            services.task_create(
                caller=caller,
                kind=request.POST.get("kind", ""),
                due_at=_parse_due(
                    clinic, request.POST.get("due_date", ""), request.POST.get("due_time", "")
                ),
                assignee_id=request.POST.get("assignee") or "",
                enquiry=enquiry,
                note=request.POST.get("note", ""),
            )
        except DomainError as exc:
            errors[exc.field or "kind"] = exc.detail[:1].upper() + exc.detail[1:] + "."
        else:
            messages.success(request, "Task added.")
            return redirect("web:pipeline_tasks")
    now = timezone.now()
    mine = selectors.my_tasks(caller=caller)
    leads = selectors.open_leads(caller=caller, limit=200) if caller.can(Perm.ENQUIRY_EDIT) else []
    return render(
        request,
        "pipeline/tasks.html",
        {
            "tasks": [{"task": t, "overdue": t.due_at < now} for t in mine],
            "kinds": TaskKind.choices,
            "staff": staff_of(clinic.pk),
            "leads": [
                {
                    "id": lead.enquiry.pk,
                    "label": (
                        lead.enquiry.patient.full_name
                        if caller.can(Perm.PATIENT_VIEW)
                        else f"Lead {str(lead.enquiry.pk)[:8]}"
                    ),
                }
                for lead in leads
            ],
            "errors": errors,
            "post": request.POST if request.method == "POST" else {},
            "can_edit": caller.can(Perm.ENQUIRY_EDIT),
            "today": dt.datetime.now(clinic.tz).date().isoformat(),
        },
        status=422 if errors else 200,
    )


@member_required(Perm.ENQUIRY_EDIT)
@require_POST
def task_done(request: HttpRequest, task_id: Any) -> HttpResponse:
    caller = caller_of(request)
    task = selectors.task_get(caller=caller, task_id=task_id)
    services.task_done(caller=caller, task=task)
    messages.success(request, "Task marked as done.")
    return redirect("web:pipeline_tasks")


@member_required(Perm.SETTINGS_MANAGE)
@require_http_methods(["GET", "POST"])
def pipeline_settings(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    current = services.settings_for()
    error: DomainError | None = None
    if request.method == "POST":
        hours: dict[str, list[list[str]]] = {}
        for day in range(7):
            opens = request.POST.get(f"open_{day}", "").strip()
            closes = request.POST.get(f"close_{day}", "").strip()
            if opens or closes:
                hours[str(day)] = [[opens, closes]]
        try:
            limit = int(request.POST.get("response_limit_minutes", ""))
        except ValueError:
            error = DomainError("enter a whole number of minutes", field="response_limit_minutes")
        else:
            try:
                services.settings_update(
                    caller=caller,
                    round_robin=request.POST.get("round_robin") == "on",
                    response_limit_minutes=limit,
                    opening_hours=hours,
                )
            except DomainError as exc:
                error = exc
        if error is None:
            messages.success(request, "Pipeline settings saved.")
            return redirect("web:pipeline_settings")
    hours_now = current.opening_hours or {}
    days = []
    for day in range(7):
        spans = hours_now.get(str(day)) or [["", ""]]
        days.append(
            {
                "n": day,
                "name": WEEKDAYS[day],
                "open": request.POST.get(f"open_{day}", spans[0][0]) if error else spans[0][0],
                "close": request.POST.get(f"close_{day}", spans[0][1]) if error else spans[0][1],
            }
        )
    return render(
        request,
        "pipeline/settings.html",
        {
            "settings": current,
            "days": days,
            "error": error,
            "default_hours": DEFAULT_OPENING_HOURS,
        },
        status=422 if error else 200,
    )
