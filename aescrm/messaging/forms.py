"""The Texts & calls settings form: every field checked by the same rules as the service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms

from aescrm.core.problems import DomainError
from aescrm.messaging import settings_fields
from aescrm.messaging.models import (
    DEFAULT_MISSED_CALL_TEXT,
    DEFAULT_RING_SECONDS,
    MISSED_CALL_TEXT_MAX,
    RING_SECONDS_MAX,
    RING_SECONDS_MIN,
    MessagingSettings,
)
from aescrm.web.forms import AccessibleForm

TIME_FORMATS = ["%H:%M", "%H.%M"]


def _time(label: str, help_text: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        help_text=help_text,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        input_formats=TIME_FORMATS,
        error_messages={"required": "Enter a time.", "invalid": "Enter a time like 21:00."},
    )


class MessagingSettingsForm(AccessibleForm):
    account_sid = forms.CharField(
        label="Account SID",
        required=False,
        max_length=64,
        help_text="From the Twilio Console home page: AC followed by 32 letters and digits.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    auth_token = forms.CharField(
        label="Auth token",
        required=False,
        max_length=128,
        help_text="Stored encrypted and never shown again. Leave blank to keep the current one.",
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    sending_number = forms.CharField(
        label="Twilio phone number",
        required=False,
        max_length=40,
        help_text="The number texts come from and patients call, e.g. 07700 900123. "
        "Texts and calls to it are filed under this clinic.",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    messaging_service_sid = forms.CharField(
        label="Messaging Service SID",
        required=False,
        max_length=64,
        help_text="Optional: send texts through a Messaging Service (MG…) instead of the number.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    quiet_start = _time("Quiet hours start", "No texts are sent from this time (clinic time).")
    quiet_end = _time("Quiet hours end", "Texts held overnight go at this time.")
    help_contact = forms.CharField(
        label="Reply to HELP",
        required=False,
        max_length=300,
        help_text="Sent after the clinic's name when a patient texts HELP, "
        "e.g. “call 020 7946 0000, Monday to Friday 9am to 5pm”.",
    )
    forwarding_number = forms.CharField(
        label="Forward calls to",
        required=False,
        max_length=40,
        help_text="The clinic's own phone, e.g. 020 7946 0000. Leave blank and callers hear "
        "that nobody can take their call.",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    ring_seconds = forms.IntegerField(
        label="Ring for (seconds)",
        min_value=RING_SECONDS_MIN,
        max_value=RING_SECONDS_MAX,
        help_text=f"Between {RING_SECONDS_MIN} and {RING_SECONDS_MAX}. Keep it shorter than "
        "your phone takes to go to voicemail, or a voicemail counts as answered.",
        error_messages={
            "required": "Enter how many seconds to ring.",
            "invalid": "Enter a whole number of seconds.",
            "min_value": f"Ring for at least {RING_SECONDS_MIN} seconds.",
            "max_value": f"Ring for at most {RING_SECONDS_MAX} seconds.",
        },
    )
    missed_call_text_enabled = forms.BooleanField(
        label="Text back callers nobody answered", required=False
    )
    missed_call_text = forms.CharField(
        label="Missed-call text",
        required=False,
        max_length=MISSED_CALL_TEXT_MAX,
        help_text="{{ clinic_name }} becomes the clinic's name. Leave blank for the standard "
        "wording. Sent at most once in ten minutes to the same caller.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def _checked(self, name: str, check: Callable[[Any], Any]) -> Any:
        try:
            return check(self.cleaned_data.get(name) or "")
        except DomainError as exc:
            raise forms.ValidationError(exc.detail[:1].upper() + exc.detail[1:] + ".") from exc

    def clean_account_sid(self) -> str:
        return str(self._checked("account_sid", settings_fields.account_sid))

    def clean_messaging_service_sid(self) -> str:
        return str(self._checked("messaging_service_sid", settings_fields.messaging_service_sid))

    def clean_sending_number(self) -> str:
        return str(
            self._checked(
                "sending_number", lambda v: settings_fields.phone(v, field="sending_number")
            )
        )

    def clean_forwarding_number(self) -> str:
        return str(
            self._checked(
                "forwarding_number", lambda v: settings_fields.phone(v, field="forwarding_number")
            )
        )

    def clean_missed_call_text(self) -> str:
        return str(self._checked("missed_call_text", settings_fields.missed_call_text))


def initial_of(row: MessagingSettings | None) -> dict[str, Any]:
    if row is None:
        return {
            "quiet_start": dt.time(21, 0),
            "quiet_end": dt.time(8, 0),
            "ring_seconds": DEFAULT_RING_SECONDS,
            "missed_call_text": DEFAULT_MISSED_CALL_TEXT,
        }
    return {
        "account_sid": row.twilio_account_sid,
        "sending_number": row.sending_number,
        "messaging_service_sid": row.messaging_service_sid,
        "quiet_start": row.quiet_start,
        "quiet_end": row.quiet_end,
        "help_contact": row.help_contact,
        "forwarding_number": row.forwarding_number,
        "ring_seconds": row.ring_seconds,
        "missed_call_text_enabled": row.missed_call_text_enabled,
        "missed_call_text": row.missed_call_text or DEFAULT_MISSED_CALL_TEXT,
    }
