"""AES-CRM staff's pages for account holders' privacy requests (/platform/privacy-requests).

Only ``is_staff`` users reach them; anyone else, clinic owners included, gets
404, as on the other /platform pages. Actions post plain forms; a refused
action shows the request again with the error against its field (422).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aescrm.accounts.models import User
from aescrm.core.problems import DomainError, NotFound
from aescrm.platform_privacy import account_requests as svc
from aescrm.platform_privacy.forms import (
    CompleteForm,
    ExtendForm,
    IdentityForm,
    NewAccountRequestForm,
    NoteForm,
    RefuseForm,
    WithdrawForm,
)
from aescrm.platform_privacy.models import AccountRequest
from aescrm.privacy.models import IdentityStatus
from aescrm.web.access import staff_required

View = Callable[..., HttpResponse]
ACTION_FORMS: dict[str, type[forms.Form]] = {
    "identity_form": IdentityForm,
    "extend_form": ExtendForm,
    "note_form": NoteForm,
    "complete_form": CompleteForm,
    "refuse_form": RefuseForm,
    "withdraw_form": WithdrawForm,
}


def platform_staff_required(view: View) -> View:
    """Signed in and AES-CRM staff, else 404; times shown on London's clock."""

    @staff_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        timezone.activate(svc.PLATFORM_TZ)
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404 from exc
        finally:
            timezone.deactivate()

    return wrapper


def _staff(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@platform_staff_required
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    closed = request.GET.get("show") == "closed"
    rows = svc.account_request_list(staff=_staff(request), closed=closed)
    today = svc.platform_today()
    return render(
        request,
        "platform_privacy/requests_list.html",
        {
            "rows": [{"request": r, "warning": svc.warning_for(r, today)} for r in rows],
            "closed": closed,
        },
    )


@platform_staff_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = NewAccountRequestForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = svc.account_request_create(
                    staff=_staff(request),
                    subject_email=data["email"],
                    kind=data["kind"],
                    received_on=data["received_on"],
                    channel=data["channel"],
                    notes=data["notes"],
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(
                    request,
                    f"Request logged. It is due by {created.deadline.day} "
                    f"{created.deadline:%B %Y}.",
                )
                return redirect("platform_privacy:request_detail", created.pk)
    else:
        form = NewAccountRequestForm(initial={"received_on": svc.platform_today()})
    return render(
        request,
        "platform_privacy/requests_new.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


def _detail(
    request: HttpRequest,
    row: AccountRequest,
    *,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        name: (bound or {}).get(name) or form_class() for name, form_class in ACTION_FORMS.items()
    }
    context.update(
        {
            "req": row,
            "warning": svc.warning_for(row),
            "verified": row.identity_status == IdentityStatus.VERIFIED,
        }
    )
    return render(request, "platform_privacy/requests_detail.html", context, status=status)


@platform_staff_required
@require_GET
def request_detail(request: HttpRequest, request_id: Any) -> HttpResponse:
    return _detail(request, svc.account_request_get(staff=_staff(request), request_id=request_id))


def _act(
    request: HttpRequest,
    request_id: Any,
    form_name: str,
    action: Callable[[User, AccountRequest, dict[str, Any]], AccountRequest],
    done: str,
) -> HttpResponse:
    staff = _staff(request)
    row = svc.account_request_get(staff=staff, request_id=request_id, audit=False)
    form = ACTION_FORMS[form_name](request.POST)
    if form.is_valid():
        try:
            action(staff, row, form.cleaned_data)
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            form.add_domain_error(exc)  # type: ignore[attr-defined]
        else:
            messages.success(request, done)
            return redirect("platform_privacy:request_detail", row.pk)
    row.refresh_from_db()
    return _detail(request, row, bound={form_name: form}, status=422)


@platform_staff_required
@require_POST
def identity(request: HttpRequest, request_id: Any) -> HttpResponse:
    return _act(
        request,
        request_id,
        "identity_form",
        lambda staff, row, data: svc.account_request_identity(
            staff=staff,
            request=row,
            result=data["result"],
            method=data["method"],
            evidence_note=data["evidence_note"],
        ),
        "Identity check recorded.",
    )


@platform_staff_required
@require_POST
def extend(request: HttpRequest, request_id: Any) -> HttpResponse:
    return _act(
        request,
        request_id,
        "extend_form",
        lambda staff, row, data: svc.account_request_extend(
            staff=staff,
            request=row,
            months=data["months"],
            reason=data["reason"],
            person_told_on=data["person_told_on"],
        ),
        "Deadline extended.",
    )


@platform_staff_required
@require_POST
def note(request: HttpRequest, request_id: Any) -> HttpResponse:
    return _act(
        request,
        request_id,
        "note_form",
        lambda staff, row, data: svc.account_request_note(
            staff=staff, request=row, body=data["body"]
        ),
        "Note added.",
    )


@platform_staff_required
@require_POST
def complete(request: HttpRequest, request_id: Any) -> HttpResponse:
    return _act(
        request,
        request_id,
        "complete_form",
        lambda staff, row, data: svc.account_request_complete(
            staff=staff, request=row, outcome=data["outcome"]
        ),
        "Request completed.",
    )


@platform_staff_required
@require_POST
def refuse(request: HttpRequest, request_id: Any) -> HttpResponse:
    return _act(
        request,
        request_id,
        "refuse_form",
        lambda staff, row, data: svc.account_request_refuse(
            staff=staff, request=row, reason=data["reason"]
        ),
        "Request refused. Tell the account holder why, and that they may complain to the ICO.",
    )


@platform_staff_required
@require_POST
def withdraw(request: HttpRequest, request_id: Any) -> HttpResponse:
    return _act(
        request,
        request_id,
        "withdraw_form",
        lambda staff, row, data: svc.account_request_withdraw(
            staff=staff, request=row, note=data["note"]
        ),
        "Request marked as withdrawn.",
    )
