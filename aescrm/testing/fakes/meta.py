"""A fake Meta Graph API serving the Conversions API ``/{pixel_id}/events`` edge.

Checks the access token and pixel id, and each event's shape: a standard
event name, an integer ``event_time``, an ``event_id``, an ``action_source``,
identifiers that must be hashed (``em``, ``ph``, ``fn``, ``ln``,
``external_id``) as lower-case SHA-256 hex, ``fbc``/``fbp`` unhashed, and a
value with a currency for purchases. ``fail_next`` (HTTP statuses) and
``invalid_token`` make it fail the way Graph does.
"""

from __future__ import annotations

import re
from typing import Any

from aescrm.testing.fakes.base import Answer, FakeServer, Recorded

API_VERSION = "v25.0"
PIXEL_ID = "123456789012345"
ACCESS_TOKEN = "EAAfake-access-token"
_EVENTS_PATH = re.compile(r"^/v\d+\.\d+/(\d+)/events$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
STANDARD_EVENTS = {"Lead", "Schedule", "Purchase", "Contact", "CompleteRegistration"}
ACTION_SOURCES = {
    "email",
    "website",
    "app",
    "phone_call",
    "chat",
    "physical_store",
    "system_generated",
    "business_messaging",
    "other",
}
HASHED = ("em", "ph", "fn", "ln", "external_id")


def _error(status: int, code: int, message: str, **extra: Any) -> Answer:
    return status, {
        "error": {
            "message": message,
            "type": "OAuthException",
            "code": code,
            "fbtrace_id": "AFakeTraceId",
            **extra,
        }
    }


class FakeMeta(FakeServer):
    def __init__(self, *, pixel_id: str = PIXEL_ID, access_token: str = ACCESS_TOKEN) -> None:
        super().__init__()
        self.pixel_id = pixel_id
        self.access_token = access_token
        self.fail_next: list[int] = []
        self.invalid_token = False
        self.accepted: list[dict[str, Any]] = []

    @property
    def api_base(self) -> str:
        return f"{self.origin}/{API_VERSION}"

    @property
    def posts(self) -> list[Recorded]:
        return [r for r in self.requests if r.path.endswith("/events")]

    def answer(self, request: Recorded) -> Answer:
        match = _EVENTS_PATH.match(request.path)
        if request.method != "POST" or not match:
            return _error(400, 100, "Unsupported request")
        token = (request.query.get("access_token") or [""])[0]
        if self.invalid_token or token != self.access_token:
            return _error(400, 190, "Invalid OAuth access token - Cannot parse access token")
        if match.group(1) != self.pixel_id:
            return _error(
                400,
                100,
                f"Unsupported post request. Object with ID '{match.group(1)}' does not exist",
            )
        if self.fail_next:
            status = self.fail_next.pop(0)
            return _error(
                status,
                2,
                "An unexpected error has occurred. Please retry your request later.",
                is_transient=True,
            )
        body = request.json
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, list) or not data:
            return _error(400, 100, "The parameter data is required")
        for event in data:
            problem = self._invalid(event)
            if problem:
                return _error(400, 100, f"Invalid parameter: {problem}", error_subcode=2804050)
        self.accepted.extend(data)
        return 200, {"events_received": len(data), "messages": [], "fbtrace_id": "AFakeTraceId"}

    @staticmethod
    def _invalid(event: Any) -> str:
        if not isinstance(event, dict):
            return "each event must be an object"
        if event.get("event_name") not in STANDARD_EVENTS:
            return f"event_name {event.get('event_name')!r} is not a standard event"
        if not isinstance(event.get("event_time"), int):
            return "event_time must be a Unix timestamp in seconds"
        if not event.get("event_id"):
            return "event_id is needed for deduplication"
        if event.get("action_source") not in ACTION_SOURCES:
            return "action_source is invalid"
        user_data = event.get("user_data")
        if not isinstance(user_data, dict) or not user_data:
            return "user_data is required"
        for key in HASHED:
            for value in user_data.get(key) or []:
                if not _SHA256.match(str(value)):
                    return f"user_data.{key} must be hashed with SHA-256"
        for key in ("fbc", "fbp"):
            value = user_data.get(key)
            if value is not None and (not str(value).startswith("fb.") or _SHA256.match(value)):
                return f"user_data.{key} must be sent unhashed"
        if event.get("event_name") == "Purchase":
            custom = event.get("custom_data") or {}
            if not isinstance(custom.get("value"), int | float):
                return "custom_data.value is required for Purchase"
            if not re.match(r"^[A-Z]{3}$", str(custom.get("currency", ""))):
                return "custom_data.currency is required for Purchase"
        return ""
