"""Managing canned replies (managers and owners); everyone who replies can insert them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from aescrm.accounts.permissions import Perm
from aescrm.core.problems import DomainError
from aescrm.inbox import selectors, services
from aescrm.inbox.forms import CannedReplyForm
from aescrm.messaging.segments import sms_segments
from aescrm.web.access import member_required
from aescrm.web.helpers import caller_of


def _segments(form: CannedReplyForm) -> Any:
    text = form.data.get("body", "") if form.is_bound else form.initial.get("body", "")
    return sms_segments(str(text or "").replace("\r\n", "\n").strip())


@member_required(Perm.MESSAGE_TEMPLATE_EDIT)
@require_http_methods(["GET", "POST"])
def canned_list(request: HttpRequest) -> HttpResponse:
    """The clinic's canned replies and a form to add one."""
    caller = caller_of(request)
    form = CannedReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reply = services.canned_create(caller=caller, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"Canned reply “{reply.title}” saved.")
            return redirect("inbox:canned")
    return render(
        request,
        "inbox/canned_list.html",
        {
            "replies": selectors.canned_list(caller=caller),
            "form": form,
            "segments": _segments(form),
        },
        status=422 if form.errors else 200,
    )


@member_required(Perm.MESSAGE_TEMPLATE_EDIT)
@require_http_methods(["GET", "POST"])
def canned_edit(request: HttpRequest, reply_id: Any) -> HttpResponse:
    caller = caller_of(request)
    reply = selectors.canned_get(caller=caller, reply_id=reply_id)
    initial = {"title": reply.title, "channel": reply.channel, "body": reply.body}
    form = CannedReplyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.canned_update(caller=caller, reply=reply, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"Canned reply “{reply.title}” saved.")
            return redirect("inbox:canned")
    return render(
        request,
        "inbox/canned_form.html",
        {"form": form, "reply": reply, "segments": _segments(form)},
        status=422 if form.errors else 200,
    )


@member_required(Perm.MESSAGE_TEMPLATE_EDIT)
@require_POST
def canned_delete(request: HttpRequest, reply_id: Any) -> HttpResponse:
    caller = caller_of(request)
    reply = selectors.canned_get(caller=caller, reply_id=reply_id)
    services.canned_delete(caller=caller, reply=reply)
    messages.success(request, f"Canned reply “{reply.title}” deleted.")
    return redirect("inbox:canned")
