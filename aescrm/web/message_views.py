"""The Outbox: recent messages (console mode shows them here instead of sending), and a
form to play the patient replying."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from aescrm.accounts.permissions import Perm
from aescrm.audit.services import audit_record
from aescrm.core.problems import DomainError
from aescrm.messaging import selectors, services
from aescrm.messaging.models import Message
from aescrm.web.access import member_required
from aescrm.web.helpers import caller_of


@member_required(Perm.MESSAGE_VIEW)
def outbox(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    rows = list(Message.objects.select_related("patient", "email").order_by("-created_at")[:100])
    audit_record("message.list", object_type="message", detail={"count": len(rows)})
    return render(
        request,
        "web/messages/outbox.html",
        {
            "rows": rows,
            "can_see_bodies": caller.can(Perm.MESSAGE_BODY_VIEW),
            "can_send": caller.can(Perm.MESSAGE_SEND),
            "console": settings.MESSAGING_MODE == "console",
        },
    )


@member_required(Perm.MESSAGE_SEND)
@require_POST
def simulate_reply(request: HttpRequest, message_id: Any) -> HttpResponse:
    caller = caller_of(request)
    message = selectors.message_get(caller=caller, message_id=message_id)
    try:
        services.inbound_simulate(caller=caller, message=message, body=request.POST.get("body", ""))
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.detail[:1].upper() + exc.detail[1:] + ".")
    else:
        messages.success(request, "The reply was recorded as if the patient had sent it.")
    return redirect("web:outbox")
