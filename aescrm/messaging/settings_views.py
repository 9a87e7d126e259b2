"""Staff page /settings/messaging: the clinic's Twilio account, texts and calls.

Owners and managers only. The auth token is write-only (shown as "saved",
never echoed; blank keeps it). "Test connection" asks Twilio about the SID and
token in the form (or the saved token) without saving anything.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from aescrm.accounts.permissions import Perm
from aescrm.core.problems import DomainError
from aescrm.messaging import connection, services
from aescrm.messaging.connection import ConnectionResult
from aescrm.messaging.forms import MessagingSettingsForm, initial_of
from aescrm.messaging.models import MessagingSettings
from aescrm.web.access import member_required
from aescrm.web.helpers import caller_of


def webhook_urls() -> list[tuple[str, str, str]]:
    """(where in Twilio, URL, what it does) for each address the clinic pastes in."""
    base = settings.PUBLIC_BASE_URL
    return [
        (
            "Messaging: A message comes in",
            f"{base}{reverse('messaging:twilio_inbound')}",
            "Patients' texts, STOP, START and HELP.",
        ),
        (
            "Messaging Service: Delivery status callback",
            f"{base}{reverse('messaging:twilio_status')}",
            "Only if you use a Messaging Service; single texts ask for it themselves.",
        ),
        (
            "Voice: A call comes in",
            f"{base}{reverse('messaging:twilio_voice')}",
            "Forwards calls to your phone.",
        ),
        (
            "Voice: Call status changes",
            f"{base}{reverse('messaging:twilio_voice_status')}",
            "Records calls that end before anyone answers.",
        ),
    ]


def _page(
    request: HttpRequest,
    form: MessagingSettingsForm,
    row: MessagingSettings | None,
    *,
    result: ConnectionResult | None = None,
) -> HttpResponse:
    return render(
        request,
        "messaging/settings.html",
        {"form": form, "row": row, "webhooks": webhook_urls(), "result": result},
        status=400 if form.is_bound and form.errors else 200,
    )


@member_required(Perm.MESSAGING_SETTINGS_MANAGE)
@require_http_methods(["GET", "POST"])
def messaging_settings(request: HttpRequest) -> HttpResponse:
    row = services.settings_of_clinic()
    form = MessagingSettingsForm(request.POST or None, initial=initial_of(row))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.settings_set(
                caller=caller_of(request),
                account_sid=data["account_sid"],
                auth_token=data["auth_token"] or None,
                sending_number=data["sending_number"],
                messaging_service_sid=data["messaging_service_sid"],
                quiet_start=data["quiet_start"],
                quiet_end=data["quiet_end"],
                help_contact=data["help_contact"],
                forwarding_number=data["forwarding_number"],
                ring_seconds=data["ring_seconds"],
                missed_call_text_enabled=data["missed_call_text_enabled"],
                missed_call_text=data["missed_call_text"],
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "Texts and calls settings saved.")
            return redirect("web:messaging_settings")
    return _page(request, form, row)


@member_required(Perm.MESSAGING_SETTINGS_MANAGE)
@require_POST
def connection_test(request: HttpRequest) -> HttpResponse:
    """Try the SID and token typed in (blank token: the saved one); nothing is saved."""
    row = services.settings_of_clinic()
    account_sid = request.POST.get("account_sid", "").strip()
    token = request.POST.get("auth_token", "") or (str(row.twilio_auth_token or "") if row else "")
    result = connection.connection_test(
        caller=caller_of(request), account_sid=account_sid, auth_token=token
    )
    # The page again as typed (unsaved), without the token, with the answer above the form.
    typed: dict[str, Any] = {**initial_of(row), **request.POST.dict()}
    typed.pop("auth_token", None)
    typed["missed_call_text_enabled"] = "missed_call_text_enabled" in request.POST
    return _page(request, MessagingSettingsForm(initial=typed), row, result=result)
