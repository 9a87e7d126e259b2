"""A public enquiry as sent, checked field by field (every refusal names its field)."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aescrm.attribution.touch import TouchInput, parse_touch
from aescrm.core.problems import ValidationFailed
from aescrm.patients.normalise import clean_email, clean_phone

CHANNELS = ("sms", "email", "phone")
TRUE_WORDS = ("on", "true", "1", "yes")
FALSE_WORDS = ("", "off", "false", "0", "no")
LIMITS = {
    "first_name": 100,
    "last_name": 100,
    "email": 254,
    "phone": 40,
    "treatment": 120,
    "message": 5000,
    "preferred_time": 200,
    "consent_wording": 5000,
}
# Fields the widget adds for spam checks and idempotency; never stored.
CONTROL_FIELDS = (
    "website", "rendered_at", "fill_ms", "sent_at", "consent", "first_touch", "last_touch",
)  # fmt: skip
SKEW_TOLERANCE_MS = 60_000
SKEW_MAX_MS = 400 * 86_400_000
EXTRA_MAX = 20
# A label a person could read; no dots (they nest objects) and no control characters.
_EXTRA_NAME = re.compile(r"^[\w ,?'()/&%£:-]{1,60}$")
EXTRA_VALUE_MAX = 1000


@dataclass
class Submission:
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    treatment: str = ""
    message: str = ""
    preferred_time: str = ""
    consent: dict[str, bool] = field(default_factory=dict)
    consent_wording: str = ""
    first_touch: TouchInput | None = None
    last_touch: TouchInput | None = None
    # Other fields of the clinic's own form ("How did you hear about us?"), kept in the message.
    extras: dict[str, str] = field(default_factory=dict)

    @property
    def consent_granted(self) -> dict[str, bool]:
        """Only grants: an unticked box on a web form is not a withdrawal of consent."""
        return {channel: True for channel, granted in self.consent.items() if granted}

    def enquiry_message(self) -> str:
        parts = [self.message] if self.message else []
        if self.preferred_time:
            parts.append(f"Preferred time: {self.preferred_time}")
        parts += [
            f"{name.replace('_', ' ').capitalize()}: {value}" for name, value in self.extras.items()
        ]
        return "\n\n".join(parts)


def text(value: Any, name: str, limit: int) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValidationFailed(f"{name} must be text", field=name)
    value = str(value).strip()
    if "\x00" in value:
        raise ValidationFailed(f"{name} contains a NUL character", field=name)
    if len(value) > limit:
        raise ValidationFailed(f"{name} is longer than {limit} characters", field=name)
    return value


def flag(value: Any, name: str) -> bool:
    """JSON true/false, or what an HTML checkbox sends ("on" when ticked)."""
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    raise ValidationFailed(f"{name} must be true or false", field=name)


def _consent(value: Any) -> dict[str, bool]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ValidationFailed("consent must be an object of sms, email and phone", field="consent")
    unknown = [k for k in value if k not in CHANNELS]
    if unknown:
        raise ValidationFailed(
            f"consent has no channel {str(unknown[0])[:40]!r} (sms, email, phone)",
            field=f"consent.{str(unknown[0])[:40]}",
        )
    return {channel: flag(value.get(channel), f"consent.{channel}") for channel in CHANNELS}


def clock_skew_ms(data: Mapping[str, Any], now: float | None = None) -> int:
    """How far the visitor's clock is behind ours, from the widget's ``sent_at`` (ms)."""
    sent = data.get("sent_at")
    if isinstance(sent, bool) or not isinstance(sent, str | int):
        return 0
    try:
        sent_ms = int(sent)
    except ValueError:
        return 0
    skew = int((time.time() if now is None else now) * 1000) - sent_ms
    # Small differences are network time; only a clock set wrong is corrected.
    return skew if SKEW_TOLERANCE_MS < abs(skew) < SKEW_MAX_MS else 0


def _touch(data: Mapping[str, Any], name: str, skew_ms: int) -> TouchInput | None:
    raw = data.get(name)
    if not isinstance(raw, Mapping):
        return parse_touch(raw, prefix=name)
    raw = dict(raw)
    if raw.get("marketing_consent") in ("", None):
        raw.pop("marketing_consent", None)  # the site gave no answer
    elif isinstance(raw.get("marketing_consent"), str):
        raw["marketing_consent"] = flag(raw["marketing_consent"], f"{name}.marketing_consent")
    occurred = raw.get("occurred_at")
    digits = str(occurred).strip() if isinstance(occurred, str | int) else ""
    if skew_ms and digits.isascii() and digits.isdigit() and len(digits) <= 16:
        # The widget's times are the visitor's clock: move them onto ours.
        raw["occurred_at"] = int(digits) + skew_ms
    return parse_touch(raw, prefix=name)


def _extras(data: Mapping[str, Any]) -> dict[str, str]:
    extras: dict[str, str] = {}
    for name, value in data.items():
        if name in LIMITS or name in CONTROL_FIELDS or name.startswith(("aescrm", "_")):
            continue
        if not _EXTRA_NAME.match(name):
            continue  # not a label a person could read
        if not isinstance(value, str) or not value.strip():
            continue  # buttons' names and non-text values of the clinic's page
        if len(extras) >= EXTRA_MAX:
            break
        extras[name] = text(value, name, EXTRA_VALUE_MAX)
    return extras


def parse_submission(data: Mapping[str, Any]) -> Submission:
    sub = Submission()
    for name, limit in LIMITS.items():
        setattr(sub, name, text(data.get(name), name, limit))
    if not (sub.first_name or sub.last_name):
        raise ValidationFailed("give your name", field="first_name")
    if not (sub.email or sub.phone):
        raise ValidationFailed("give an email address or a phone number", field="email")
    if sub.email:
        try:
            sub.email = clean_email(sub.email)
        except ValueError as exc:
            raise ValidationFailed("the email address is not valid", field="email") from exc
    if sub.phone:
        try:
            sub.phone = clean_phone(sub.phone)
        except ValueError as exc:
            raise ValidationFailed("the phone number is not valid", field="phone") from exc
    sub.consent = _consent(data.get("consent"))
    if sub.consent_granted and not sub.consent_wording:
        raise ValidationFailed(
            "say what consent wording was shown (kept as evidence of the consent)",
            field="consent_wording",
        )
    skew = clock_skew_ms(data)
    sub.first_touch = _touch(data, "first_touch", skew)
    sub.last_touch = _touch(data, "last_touch", skew)
    sub.extras = _extras(data)
    return sub
