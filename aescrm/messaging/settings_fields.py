"""Checking the clinic's Twilio settings, field by field: shared by the service and the form.

Each cleaner returns the stored form of the value or raises ``ValidationFailed``
naming the field, so the settings page can show every problem at once and the
service refuses the same input when called from anywhere else.
"""

from __future__ import annotations

import re

from aescrm.core.problems import ValidationFailed
from aescrm.messaging.models import (
    DEFAULT_MISSED_CALL_TEXT,
    MISSED_CALL_TEXT_MAX,
    RING_SECONDS_MAX,
    RING_SECONDS_MIN,
)
from aescrm.patients.normalise import clean_phone

_ACCOUNT_SID = re.compile(r"^AC[0-9a-fA-F]{32}$")
_SERVICE_SID = re.compile(r"^MG[0-9a-fA-F]{32}$")
# The one merge field a missed-call text may use, written as in message templates.
_MERGE = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
_STRAY = re.compile(r"\{\{|\}\}|\{%|%\}")
CLINIC_FIELD = "clinic_name"


def account_sid(value: str) -> str:
    value = (value or "").strip()
    if value and not _ACCOUNT_SID.match(value):
        raise ValidationFailed(
            "an account SID is AC followed by 32 letters and digits (see the Twilio Console)",
            field="account_sid",
        )
    return value


def messaging_service_sid(value: str) -> str:
    value = (value or "").strip()
    if value and not _SERVICE_SID.match(value):
        raise ValidationFailed(
            "a Messaging Service SID is MG followed by 32 letters and digits",
            field="messaging_service_sid",
        )
    return value


def phone(value: str, *, field: str) -> str:
    """E.164, or "" when empty; UK national format (07700 900123, 020 7946 0000) accepted."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return clean_phone(value)
    except ValueError as exc:
        raise ValidationFailed(
            f"{value!r} is not a phone number: write it like 020 7946 0000 or +44 20 7946 0000",
            field=field,
        ) from exc


def ring_seconds(value: int) -> int:
    if not RING_SECONDS_MIN <= value <= RING_SECONDS_MAX:
        raise ValidationFailed(
            f"ring for between {RING_SECONDS_MIN} and {RING_SECONDS_MAX} seconds",
            field="ring_seconds",
        )
    return value


def missed_call_text(value: str) -> str:
    """The wording, or the default wording when left empty; only {{ clinic_name }} may be used."""
    value = " ".join((value or "").split())
    if not value:
        return DEFAULT_MISSED_CALL_TEXT
    if len(value) > MISSED_CALL_TEXT_MAX:
        raise ValidationFailed(
            f"the missed-call text may be at most {MISSED_CALL_TEXT_MAX} characters "
            f"(it has {len(value)})",
            field="missed_call_text",
        )
    for name in _MERGE.findall(value):
        if name != CLINIC_FIELD:
            raise ValidationFailed(
                f"{{{{ {name} }}}} is not available here: the only merge field is "
                f"{{{{ {CLINIC_FIELD} }}}}",
                field="missed_call_text",
            )
    if _STRAY.search(_MERGE.sub("", value)):
        raise ValidationFailed(
            f"write the merge field as {{{{ {CLINIC_FIELD} }}}}", field="missed_call_text"
        )
    return value


def render_missed_call_text(wording: str, clinic_name: str) -> str:
    return _MERGE.sub(lambda _: clinic_name, wording or DEFAULT_MISSED_CALL_TEXT)
