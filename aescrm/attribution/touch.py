"""Touch data as it arrives from the widget or the API, checked and normalised.

Values are kept as the visitor's URL carried them (trimmed, nothing else), so
a report shows the campaign names the clinic typed. Too long a value is
refused naming it, never cut.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from django.utils import timezone

from aescrm.attribution.models import CLICK_ID_FIELDS, URL_FIELDS, UTM_FIELDS
from aescrm.core.problems import ValidationFailed

CLICK_ID_MAX = 500
UTM_MAX = 255
URL_MAX = 4096
# A widget's clock may be a little ahead of ours; a day ahead is a bad value.
FUTURE_SLACK = dt.timedelta(minutes=10)
OLDEST = dt.timedelta(days=400)


@dataclass
class TouchInput:
    values: dict[str, str] = field(default_factory=dict)
    occurred_at: dt.datetime | None = None
    marketing_consent: bool | None = None

    def get(self, name: str) -> str:
        return self.values.get(name, "")

    @property
    def click_ids(self) -> set[str]:
        return {name for name in CLICK_ID_FIELDS if self.values.get(name)}


def _text(value: Any, name: str, limit: int) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        # A repeated parameter (?utm_source=a&utm_source=b): the first one counts.
        value = value[0] if value else ""
    if not isinstance(value, str):
        raise ValidationFailed(f"{name} must be text", field=name)
    value = value.strip()
    if "\x00" in value:
        raise ValidationFailed(f"{name} contains a NUL character", field=name)
    if len(value) > limit:
        raise ValidationFailed(f"{name} is longer than {limit} characters", field=name)
    return value


def parse_time(value: Any, name: str, *, now: dt.datetime | None = None) -> dt.datetime:
    """An ISO 8601 time with offset, or milliseconds since the epoch (JavaScript's Date.now())."""
    now = now or timezone.now()
    moment: dt.datetime
    if isinstance(value, bool):
        raise ValidationFailed(f"{name} must be a time", field=name)
    if isinstance(value, int | float) or (isinstance(value, str) and value.strip().isdigit()):
        try:
            moment = dt.datetime.fromtimestamp(float(value) / 1000, tz=dt.UTC)
        except (OverflowError, OSError, ValueError) as exc:
            raise ValidationFailed(f"{name} is out of range", field=name) from exc
    elif isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError as exc:
            raise ValidationFailed(
                f"{name} is not a time (ISO 8601, e.g. 2026-05-01T09:00:00Z)", field=name
            ) from exc
        if moment.tzinfo is None:
            raise ValidationFailed(f"{name} needs a time zone offset", field=name)
    else:
        raise ValidationFailed(f"{name} must be a time", field=name)
    if moment > now + FUTURE_SLACK:
        raise ValidationFailed(f"{name} is in the future", field=name)
    if moment < now - OLDEST:
        raise ValidationFailed(f"{name} is more than {OLDEST.days} days ago", field=name)
    return moment.astimezone(dt.UTC)


URL_PARAMS = (*CLICK_ID_FIELDS[:4], "msclkid", "ttclid", *UTM_FIELDS)


def params_from_url(url: str) -> dict[str, str]:
    """Click ids and UTM values from a landing page URL, as the widget reads them.

    Values are decoded once; a repeated parameter keeps its first value;
    names match whatever their case (``UTM_Source``); the fragment is not
    part of the query; empty values count as missing.
    """
    try:
        query = urlsplit(url).query
    except ValueError:
        return {}
    found: dict[str, str] = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        key = name.strip().lower()
        if key in URL_PARAMS and key not in found and value.strip():
            found[key] = value.strip()
    return found


def parse_touch(
    data: Mapping[str, Any] | None, *, prefix: str, marketing_consent: bool | None = None
) -> TouchInput | None:
    """One touch from a mapping of the widget's keys; None when it carries nothing.

    ``prefix`` names the touch in errors (``first_touch.gclid``).
    """
    if data is None:
        return None
    if not isinstance(data, Mapping):
        raise ValidationFailed(f"{prefix} must be an object", field=prefix)
    touch = TouchInput(marketing_consent=marketing_consent)
    for name in CLICK_ID_FIELDS:
        touch.values[name] = _text(data.get(name), f"{prefix}.{name}", CLICK_ID_MAX)
    for name in UTM_FIELDS:
        touch.values[name] = _text(data.get(name), f"{prefix}.{name}", UTM_MAX)
    for name in URL_FIELDS:
        touch.values[name] = _text(data.get(name), f"{prefix}.{name}", URL_MAX)
    touch.values = {k: v for k, v in touch.values.items() if v}
    # A client that sent only the landing page still gets its parameters read.
    if touch.values.get("landing_page"):
        for name, value in params_from_url(touch.values["landing_page"]).items():
            if not touch.values.get(name):
                limit = CLICK_ID_MAX if name in CLICK_ID_FIELDS else UTM_MAX
                touch.values[name] = _text(value, f"{prefix}.landing_page", limit)
    if data.get("occurred_at") not in (None, ""):
        touch.occurred_at = parse_time(data["occurred_at"], f"{prefix}.occurred_at")
    consent = data.get("marketing_consent")
    if isinstance(consent, bool):
        touch.marketing_consent = consent
    if not touch.values:
        return None
    # Meta's fbc built from a bare fbclid, as Meta specifies: fb.1.<ms>.<fbclid>.
    if touch.values.get("fbclid") and not touch.values.get("fbc"):
        moment = touch.occurred_at or timezone.now()
        touch.values["fbc"] = f"fb.1.{int(moment.timestamp() * 1000)}.{touch.values['fbclid']}"
    return touch
