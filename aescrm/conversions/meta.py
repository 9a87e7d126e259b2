"""Meta Conversions API client: ``POST {META_GRAPH_API_BASE}/{pixel_id}/events``.

The body is ``{"data": [event], "test_event_code": ...}`` with the access
token as the ``access_token`` parameter, as Meta documents. A success answers
``{"events_received": n, "messages": [], "fbtrace_id": ...}``; a failure an
``{"error": {"message", "type", "code", "fbtrace_id"}}`` object. One event
per request: Meta refuses a whole batch when one event in it is invalid, and
each conversion's status must be its own.
"""

from __future__ import annotations

from typing import Any

import requests
from django.conf import settings

from aescrm.conversions.http import PlatformError, short
from aescrm.conversions.models import AdPlatformSettings

# Graph API error codes worth another try: temporary errors, rate limits, and
# an expired or revoked token (the clinic can paste a new one in the meantime).
RETRYABLE_CODES = {1, 2, 4, 17, 32, 190, 341, 613}


def send_event(row: AdPlatformSettings, event: dict[str, Any]) -> None:
    body: dict[str, Any] = {"data": [event]}
    if row.meta_test_event_code:
        body["test_event_code"] = row.meta_test_event_code
    url = f"{settings.META_GRAPH_API_BASE}/{row.meta_pixel_id}/events"
    try:
        response = requests.post(
            url,
            params={"access_token": row.meta_access_token or ""},
            json=body,
            timeout=settings.CONVERSIONS_HTTP_TIMEOUT,
        )
    except requests.RequestException as exc:
        # requests puts the URL (with the token) in some messages: never keep it.
        raise PlatformError(f"Meta unreachable: {type(exc).__name__}", retryable=True) from exc
    try:
        answer = response.json()
    except ValueError:
        answer = {}
    if not isinstance(answer, dict):
        answer = {}
    if response.status_code == 200:
        received = answer.get("events_received")
        if received != 1:
            raise PlatformError(f"Meta received {received!r} events instead of 1", retryable=False)
        return
    error = answer.get("error") or {}
    message = error.get("error_user_msg") or error.get("message") or f"HTTP {response.status_code}"
    code = error.get("code")
    retryable = (
        response.status_code >= 500
        or response.status_code == 429
        or (isinstance(code, int) and code in RETRYABLE_CODES)
    )
    label = f"code {code}" if code is not None else f"HTTP {response.status_code}"
    raise PlatformError(short(f"Meta: {message} ({label})"), retryable=retryable)
