"""Bulk send pages: choose patients and wording, preview who is left out and why, confirm,
then watch the send's progress."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aescrm.accounts.permissions import Perm
from aescrm.core.problems import DomainError
from aescrm.inbox import bulk
from aescrm.inbox.forms import BulkForm
from aescrm.inbox.models import BulkStatus
from aescrm.messaging.segments import sms_segments
from aescrm.patients.models import Treatment
from aescrm.templating.models import MessageTemplate
from aescrm.web.access import member_required
from aescrm.web.helpers import caller_of


def _form(data: Any = None) -> BulkForm:
    return BulkForm(
        data,
        treatments=Treatment.objects.filter(active=True),
        templates=MessageTemplate.objects.filter(active=True),
    )


def _form_page(request: HttpRequest, form: BulkForm, status: int = 200) -> HttpResponse:
    text = str(form.data.get("body", "")) if form.is_bound else ""
    return render(
        request,
        "inbox/bulk_form.html",
        {
            "form": form,
            "sends": bulk.bulk_list(caller_of(request)),
            "segments": sms_segments(text.replace("\r\n", "\n").strip()),
        },
        status=status,
    )


@member_required(Perm.MESSAGE_BULK_SEND)
@require_http_methods(["GET", "POST"])
def bulk_start(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST: the preview (or, with action=edit, the form again as filled in)."""
    if request.method == "GET":
        return _form_page(request, _form())
    form = _form(request.POST)
    if request.POST.get("action") == "edit" or not form.is_valid():
        return _form_page(request, form, status=200 if form.is_valid() else 422)
    try:
        preview = bulk.bulk_preview(caller_of(request), form.spec())
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        form.add_domain_error(exc, aliases=BulkForm.ALIASES)
        return _form_page(request, form, status=422)
    return render(
        request,
        "inbox/bulk_preview.html",
        {"form": form, "preview": preview, "token": uuid.uuid4()},
    )


@member_required(Perm.MESSAGE_BULK_SEND)
@require_POST
def bulk_confirm(request: HttpRequest) -> HttpResponse:
    form = _form(request.POST)
    try:
        token = uuid.UUID(request.POST.get("token", ""))
    except ValueError:
        form.add_error(None, "This confirmation is not one the preview issued: preview again.")
        return _form_page(request, form, status=422)
    if not form.is_valid():
        return _form_page(request, form, status=422)
    try:
        sent, created = bulk.bulk_confirm(caller_of(request), form.spec(), token=token)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        form.add_domain_error(exc, aliases=BulkForm.ALIASES)
        return _form_page(request, form, status=422)
    if created:
        messages.success(request, "Bulk send confirmed: the messages are being queued.")
    else:
        messages.info(request, "This bulk send was confirmed already; nothing more was queued.")
    return redirect("inbox:bulk_detail", bulk_id=sent.pk)


def _progress_context(request: HttpRequest, bulk_id: Any) -> dict[str, Any]:
    sent = bulk.bulk_get(caller_of(request), bulk_id)
    progress = bulk.bulk_progress(sent)
    return {
        "send": sent,
        "progress": progress,
        "live": sent.status == BulkStatus.QUEUING or progress["waiting"] or progress["queued"],
        "version": bulk.progress_version(sent, progress),
    }


@member_required(Perm.MESSAGE_BULK_SEND)
@require_GET
def bulk_detail(request: HttpRequest, bulk_id: Any) -> HttpResponse:
    context = _progress_context(request, bulk_id)
    context["groups"] = bulk.bulk_excluded(context["send"])
    return render(request, "inbox/bulk_detail.html", context)


@member_required(Perm.MESSAGE_BULK_SEND)
@require_GET
def bulk_progress(request: HttpRequest, bulk_id: Any) -> HttpResponse:
    context = _progress_context(request, bulk_id)
    if request.GET.get("v") == context["version"]:
        return HttpResponse(status=204)
    return render(request, "inbox/_bulk_progress.html", context)
