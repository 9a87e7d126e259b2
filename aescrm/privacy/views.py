"""Staff pages: open requests by deadline, logging a request, one request and its actions.

Actions post plain forms (no JavaScript needed); a refused action shows the
request again with the error against its field (422).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aescrm.accounts.caller import Caller
from aescrm.accounts.permissions import Perm
from aescrm.core.problems import DomainError, NotFound, ValidationFailed
from aescrm.patients import selectors as patient_selectors
from aescrm.privacy import selectors, services
from aescrm.privacy.forms import (
    CompleteForm,
    ExtendForm,
    IdentityForm,
    NewRequestForm,
    NoteForm,
    PatientFindForm,
    RefuseForm,
    WithdrawForm,
)
from aescrm.privacy.models import IdentityStatus, PrivacyRequest
from aescrm.web.access import member_required
from aescrm.web.helpers import caller_of, clinic_of, local_today

ACTION_FORMS: dict[str, type[forms.Form]] = {
    "identity_form": IdentityForm,
    "extend_form": ExtendForm,
    "note_form": NoteForm,
    "complete_form": CompleteForm,
    "refuse_form": RefuseForm,
    "withdraw_form": WithdrawForm,
}


@member_required(Perm.PRIVACY_VIEW)
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    closed = request.GET.get("show") == "closed"
    rows = selectors.privacy_request_list(
        caller=caller, open_only=not closed, closed_only=closed, limit=200
    )
    today = local_today(clinic_of(request))
    return render(
        request,
        "privacy/list.html",
        {
            "rows": [
                {
                    "request": r,
                    "warning": selectors.due_warning(r.deadline, today) if r.is_open else None,
                }
                for r in rows
            ],
            "closed": closed,
            "personal": selectors.shows_personal_details(caller),
            "can_manage": caller.can(Perm.PRIVACY_MANAGE),
        },
    )


def _chosen_patient(caller: Caller, patient_id: Any) -> Any:
    if not patient_id:
        return None
    try:
        return patient_selectors.patient_get(caller=caller, patient_id=patient_id, audit=False)
    except NotFound as exc:
        raise ValidationFailed("no such patient in this clinic", field="patient") from exc


@member_required(Perm.PRIVACY_MANAGE)
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    today = local_today(clinic_of(request))
    patient_id = request.POST.get("patient") or request.GET.get("patient") or ""
    find = PatientFindForm(request.GET if "q" in request.GET else None)
    found: list[Any] = []
    status = 200
    if request.method == "POST":
        form = NewRequestForm(request.POST)
    else:
        form = NewRequestForm(initial={"received_on": today, "patient": patient_id or None})
    patient = None
    try:
        patient = _chosen_patient(caller, patient_id)
    except DomainError as exc:
        form.add_domain_error(exc)
        status = 422
    if find.is_bound and find.is_valid() and find.cleaned_data["q"]:
        try:
            found = patient_selectors.patient_list(
                caller=caller, search_query=find.cleaned_data["q"], limit=10
            ).patients
        except DomainError as exc:
            find.add_domain_error(exc, {"search": "q"})
    if request.method == "POST" and status == 200 and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.privacy_request_create(
                caller=caller,
                kind=data["kind"],
                received_on=data["received_on"],
                channel=data["channel"],
                patient=patient,
                requester_details=data["requester_details"],
                notes=data["notes"],
            )
        except DomainError as exc:
            if exc.status == 403:
                raise
            form.add_domain_error(exc)
        else:
            messages.success(
                request,
                f"Request logged. It is due by {created.deadline.day} {created.deadline:%B %Y}.",
            )
            return redirect("privacy:detail", created.pk)
    if request.method == "POST" and form.errors:
        status = 422
    return render(
        request,
        "privacy/new.html",
        {
            "form": form,
            "find": find,
            "found": found,
            "patient": patient,
            "searched": bool(find.is_bound and find.data.get("q")),
        },
        status=status,
    )


def _detail(
    request: HttpRequest,
    row: PrivacyRequest,
    *,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    caller = caller_of(request)
    today = local_today(clinic_of(request))
    context: dict[str, Any] = {
        name: (bound or {}).get(name) or form_class() for name, form_class in ACTION_FORMS.items()
    }
    context.update(
        {
            "req": row,
            "warning": selectors.due_warning(row.deadline, today) if row.is_open else None,
            "personal": selectors.shows_personal_details(caller),
            "can_manage": caller.can(Perm.PRIVACY_MANAGE),
            "verified": row.identity_status == IdentityStatus.VERIFIED,
            # Where the request is carried out: the export panel, the erasure plan, the
            # restriction and objection panel, or the edit form, on the person's record.
            "can_export": caller.can(Perm.PATIENT_EXPORT),
            "can_erase": caller.can(Perm.PATIENT_ERASE),
            "can_edit_patient": caller.can(Perm.PATIENT_EDIT),
        }
    )
    return render(request, "privacy/detail.html", context, status=status)


@member_required(Perm.PRIVACY_VIEW)
@require_GET
def request_detail(request: HttpRequest, request_id: Any) -> HttpResponse:
    row = selectors.privacy_request_get(caller=caller_of(request), request_id=request_id)
    return _detail(request, row)


def _act(
    request: HttpRequest,
    request_id: Any,
    form_name: str,
    action: Callable[[Caller, PrivacyRequest, dict[str, Any]], PrivacyRequest],
    done: str,
) -> HttpResponse:
    caller = caller_of(request)
    row = selectors.privacy_request_get(caller=caller, request_id=request_id, audit=False)
    form = ACTION_FORMS[form_name](request.POST)
    if form.is_valid():
        try:
            action(caller, row, form.cleaned_data)
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            form.add_domain_error(exc)  # type: ignore[attr-defined]
        else:
            messages.success(request, done)
            return redirect(reverse("privacy:detail", args=[row.pk]))
    row.refresh_from_db()
    return _detail(request, row, bound={form_name: form}, status=422)


@member_required(Perm.PRIVACY_MANAGE)
@require_POST
def identity(request: HttpRequest, request_id: Any) -> HttpResponse:
    return _act(
        request,
        request_id,
        "identity_form",
        lambda caller, row, data: services.privacy_request_identity(
            caller=caller, request=row, result=data["result"], evidence_note=data["evidence_note"]
        ),
        "Identity check recorded.",
    )


@member_required(Perm.PRIVACY_MANAGE)
@require_POST
def extend(request: HttpRequest, request_id: Any) -> HttpResponse:
    return _act(
        request,
        request_id,
        "extend_form",
        lambda caller, row, data: services.privacy_request_extend(
            caller=caller,
            request=row,
            months=data["months"],
            reason=data["reason"],
            person_told_on=data["person_told_on"],
        ),
        "Deadline extended.",
    )


@member_required(Perm.PRIVACY_MANAGE)
@require_POST
def note(request: HttpRequest, request_id: Any) -> HttpResponse:
    return _act(
        request,
        request_id,
        "note_form",
        lambda caller, row, data: services.privacy_request_note(
            caller=caller, request=row, body=data["body"]
        ),
        "Note added.",
    )


@member_required(Perm.PRIVACY_MANAGE)
@require_POST
def complete(request: HttpRequest, request_id: Any) -> HttpResponse:
    return _act(
        request,
        request_id,
        "complete_form",
        lambda caller, row, data: services.privacy_request_complete(
            caller=caller, request=row, outcome=data["outcome"]
        ),
        "Request completed.",
    )


@member_required(Perm.PRIVACY_MANAGE)
@require_POST
def refuse(request: HttpRequest, request_id: Any) -> HttpResponse:
    return _act(
        request,
        request_id,
        "refuse_form",
        lambda caller, row, data: services.privacy_request_refuse(
            caller=caller, request=row, reason=data["reason"]
        ),
        "Request refused.",
    )


@member_required(Perm.PRIVACY_MANAGE)
@require_POST
def withdraw(request: HttpRequest, request_id: Any) -> HttpResponse:
    return _act(
        request,
        request_id,
        "withdraw_form",
        lambda caller, row, data: services.privacy_request_withdraw(
            caller=caller, request=row, note=data["note"]
        ),
        "Request marked as withdrawn.",
    )
