"""Google Ads API client: OAuth refresh and ConversionUploadService.UploadClickConversions.

REST: ``POST {GOOGLE_ADS_API_BASE}/customers/{customer_id}:uploadClickConversions``
with headers ``Authorization: Bearer <access token>``, ``developer-token`` and,
when the account is reached through a manager, ``login-customer-id``. The body
is ``{"conversions": [...], "partialFailure": true}``; conversions Google
refuses come back in ``partialFailureError`` (their index in
``location.fieldPathElements``) while the others are accepted.

Access tokens come from the OAuth 2.0 token endpoint (``grant_type=
refresh_token``) and are cached in this process until shortly before they
expire. Base URLs are settings so tests point this at a local fake server.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from dataclasses import dataclass
from typing import Any

import requests
from django.conf import settings

from aescrm.conversions.http import PlatformError, short
from aescrm.conversions.models import AdPlatformSettings

# Refresh a little before Google's expiry so a token never dies mid-request.
EXPIRY_MARGIN_SECONDS = 60

_tokens: dict[str, tuple[str, float]] = {}
_tokens_lock = threading.Lock()


def _cache_key(row: AdPlatformSettings) -> str:
    material = f"{row.clinic_id}|{row.google_client_id}|{row.google_refresh_token}"
    return hashlib.sha256(material.encode()).hexdigest()


def clear_token_cache() -> None:
    with _tokens_lock:
        _tokens.clear()


def _forget_token(row: AdPlatformSettings) -> None:
    with _tokens_lock:
        _tokens.pop(_cache_key(row), None)


def access_token(row: AdPlatformSettings) -> str:
    """A current access token for the clinic's Google account (cached until near expiry)."""
    key = _cache_key(row)
    now = time.monotonic()
    with _tokens_lock:
        cached = _tokens.get(key)
        if cached and cached[1] > now:
            return cached[0]
    try:
        response = requests.post(
            settings.GOOGLE_OAUTH_TOKEN_URL,
            data={
                "grant_type": "refresh_token",
                "client_id": row.google_client_id,
                "client_secret": row.google_client_secret or "",
                "refresh_token": row.google_refresh_token or "",
            },
            timeout=settings.CONVERSIONS_HTTP_TIMEOUT,
        )
    except requests.RequestException as exc:
        raise PlatformError(
            f"Google sign-in unreachable: {short(str(exc))}", retryable=True
        ) from exc
    body = _json(response)
    if response.status_code != 200 or not body.get("access_token"):
        error = body.get("error") or f"HTTP {response.status_code}"
        description = body.get("error_description") or ""
        message = f"Google sign-in refused: {error}" + (f" ({description})" if description else "")
        # invalid_grant / invalid_client need the clinic to reconnect; retrying
        # with backoff lets a fix made within the retry window still deliver.
        raise PlatformError(short(message), retryable=True)
    token = str(body["access_token"])
    expires_in = int(body.get("expires_in") or 3600)
    with _tokens_lock:
        _tokens[key] = (token, now + max(expires_in - EXPIRY_MARGIN_SECONDS, 0))
    return token


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


_INDEX_IN_MESSAGE = re.compile(r"conversions\[(\d+)\]")


@dataclass(frozen=True)
class Refusal:
    """Why Google refused one conversion: its message, and its error code when given."""

    message: str
    code: str = ""


def _partial_failures(error: dict[str, Any], count: int) -> list[Refusal | None]:
    """Google's refusal of each refused conversion (None for the accepted ones)."""
    failures: list[Refusal | None] = [None] * count
    found = False
    for detail in error.get("details") or []:
        for item in (detail or {}).get("errors") or []:
            message = str(item.get("message") or error.get("message") or "refused by Google")
            code = item.get("errorCode") or {}
            name = str(next(iter(code.values()))) if code else ""
            if name:
                message = f"{message} ({name})"
            for element in (item.get("location") or {}).get("fieldPathElements") or []:
                if element.get("fieldName") == "conversions" and "index" in element:
                    index = int(element["index"])
                    if 0 <= index < count:
                        failures[index] = Refusal(short(message), name)
                        found = True
                    break
    if not found:
        # Fall back to "…, at conversions[2]" in the summary message.
        message = str(error.get("message") or "")
        for match in _INDEX_IN_MESSAGE.finditer(message):
            index = int(match.group(1))
            if 0 <= index < count:
                failures[index] = Refusal(short(message))
                found = True
        if not found and message:
            failures = [Refusal(short(message))] * count
    return failures


def upload_click_conversions(
    row: AdPlatformSettings, conversions: list[dict[str, Any]]
) -> list[Refusal | None]:
    """Send one batch; returns Google's refusal per conversion (None = accepted).

    Raises ``PlatformError`` when the whole request failed.
    """
    token = access_token(row)
    headers = {
        "Authorization": f"Bearer {token}",
        "developer-token": row.google_developer_token or "",
        "Content-Type": "application/json",
    }
    if row.google_login_customer_id:
        headers["login-customer-id"] = row.google_login_customer_id
    url = (
        f"{settings.GOOGLE_ADS_API_BASE}/customers/{row.google_customer_id}:uploadClickConversions"
    )
    try:
        response = requests.post(
            url,
            json={"conversions": conversions, "partialFailure": True},
            headers=headers,
            timeout=settings.CONVERSIONS_HTTP_TIMEOUT,
        )
    except requests.RequestException as exc:
        raise PlatformError(f"Google Ads unreachable: {short(str(exc))}", retryable=True) from exc
    body = _json(response)
    if response.status_code != 200:
        error = body.get("error") or {}
        message = error.get("message") or response.reason or "request failed"
        status = error.get("status") or f"HTTP {response.status_code}"
        if response.status_code == 401:
            _forget_token(row)
        retryable = response.status_code >= 500 or response.status_code in (401, 403, 408, 429)
        raise PlatformError(short(f"Google Ads: {message} ({status})"), retryable=retryable)
    failure = body.get("partialFailureError")
    if failure:
        return _partial_failures(failure, len(conversions))
    return [None] * len(conversions)
