"""Pages: the clinic's email settings (owners and managers) and the public unsubscribe page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from aescrm.accounts.permissions import Perm
from aescrm.core.problems import DomainError
from aescrm.mail import services
from aescrm.mail.composing import mail_settings
from aescrm.mail.models import Suppression
from aescrm.mail.unsubscribe import read_token
from aescrm.web.access import member_required
from aescrm.web.forms import AccessibleForm
from aescrm.web.helpers import caller_of


class MailSettingsForm(AccessibleForm):
    server_token = forms.CharField(
        label="Postmark server API token",
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="From your Postmark server’s API Tokens tab. Stored encrypted and never shown "
        "again. Leave blank to keep the current one.",
    )
    sender_email = forms.CharField(
        label="Send from address",
        required=False,
        max_length=254,
        help_text="A confirmed sender signature or an address on a verified domain in Postmark.",
    )
    sender_name = forms.CharField(
        label="Sender name",
        required=False,
        max_length=100,
        help_text="Shown to patients. Blank uses the clinic’s name.",
    )
    inbound_address = forms.CharField(
        label="Reply address",
        required=False,
        max_length=254,
        help_text="Your Postmark inbound address (e.g. …@inbound.postmarkapp.com) or an address "
        "forwarded to it. Each conversation replies to its own +token variant, so answers "
        "land in the right conversation. Filled in from Postmark by “Check connection”.",
    )
    message_stream = forms.CharField(
        label="Transactional message stream",
        required=False,
        max_length=50,
        help_text="Usually “outbound”.",
    )
    broadcast_stream = forms.CharField(
        label="Broadcast message stream for marketing",
        required=False,
        max_length=50,
        help_text="Postmark asks for marketing email to go through a broadcast stream, e.g. "
        "“broadcast”. Blank sends marketing through the transactional stream.",
    )


FIELD_NAMES = (
    "sender_email",
    "sender_name",
    "inbound_address",
    "message_stream",
    "broadcast_stream",
)


def _webhook_urls(user: str, password: str) -> dict[str, str]:
    scheme, _, rest = settings.PUBLIC_BASE_URL.partition("://")
    base = f"{scheme}://{user}:{password}@{rest}"
    return {
        "inbound": f"{base}{reverse('mail:postmark_inbound')}",
        "events": f"{base}{reverse('mail:postmark_events')}",
    }


@member_required(Perm.EMAIL_SETTINGS_MANAGE)
@require_http_methods(["GET", "POST"])
def email_settings(request: HttpRequest) -> HttpResponse:
    row = mail_settings()
    initial: dict[str, Any] = {name: getattr(row, name) for name in FIELD_NAMES} if row else {}
    initial.setdefault("message_stream", "outbound")
    form = MailSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.settings_set(
                caller=caller_of(request),
                data=services.MailSettingsInput(
                    server_token=data["server_token"] or None,
                    **{name: data[name] for name in FIELD_NAMES},
                ),
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "Email settings saved.")
            return redirect("mail:settings")
    webhooks = (
        _webhook_urls(row.webhook_user, str(row.webhook_password or ""))
        if row and row.webhook_user
        else None
    )
    return render(
        request,
        "mail/settings.html",
        {
            "form": form,
            "row": row,
            "has_token": bool(row and row.server_token),
            "webhooks": webhooks,
            "suppressed": Suppression.objects.count(),
            "console": settings.MESSAGING_MODE == "console",
        },
        status=400 if form.errors else 200,
    )


@member_required(Perm.EMAIL_SETTINGS_MANAGE)
@require_POST
def email_check(request: HttpRequest) -> HttpResponse:
    check = services.connection_check(caller=caller_of(request))
    (messages.success if check.ok else messages.error)(request, check.detail)
    return redirect("mail:settings")


@member_required(Perm.EMAIL_SETTINGS_MANAGE)
@require_POST
def webhook_login(request: HttpRequest) -> HttpResponse:
    services.webhook_login_renew(caller=caller_of(request))
    messages.success(
        request,
        "New webhook login made. Paste both webhook addresses into Postmark again: "
        "the old ones no longer work.",
    )
    return redirect("mail:settings")


@csrf_exempt  # RFC 8058: the mail client posts with no session; the signed link is the key
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if read_token(token) is None:
        return render(request, "mail/unsubscribe.html", {"state": "invalid"}, status=404)
    if request.method == "GET":
        # A page with a button, not an unsubscribe: link scanners follow GET links.
        return render(request, "mail/unsubscribe.html", {"state": "confirm", "token": token})
    one_click = request.POST.get("List-Unsubscribe") == "One-Click"
    result = services.unsubscribe(token, one_click=one_click)
    if result is None:
        return render(request, "mail/unsubscribe.html", {"state": "invalid"}, status=404)
    return render(request, "mail/unsubscribe.html", {"state": "done"})
