"""The live Postmark adapter: sending through django-anymail's Postmark backend with
the clinic's own server token, and the two plain API calls anymail does not make
(the outbound message search used to reconcile, and ``GET /server`` to check a token).

The base URL is ``POSTMARK_API_BASE`` so tests point it at a local fake over HTTP.
Postmark answers errors with ``{"ErrorCode": n, "Message": "…"}``: HTTP 422 for a
refused message, 401 for a bad token, 429 and 5xx when it is busy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import requests
from anymail.exceptions import AnymailError, AnymailRequestsAPIError
from anymail.message import AnymailMessage
from django.conf import settings
from django.core.mail import get_connection

from aescrm.mail.models import MailSettings
from aescrm.messaging.providers import ProviderError, Sent

BACKEND = "anymail.backends.postmark.EmailBackend"
# Metadata keys on every send (Postmark: at most 20 characters a key).
META_MESSAGE = "aescrm_message"
META_ATTEMPT = "aescrm_attempt"

# Postmark API error codes that mean "this email will never go": fail at once.
PERMANENT_CODES = {
    "10": "Postmark refused the server token: check the email settings",
    "300": "invalid email request (usually the patient's address)",
    "400": "the sender address is not a confirmed sender signature in Postmark",
    "401": "the sender signature is not confirmed yet in Postmark",
    "405": "the Postmark account may not send (credits or approval)",
    "406": "the address is inactive at Postmark after a hard bounce or spam complaint",
    "412": "the Postmark account is pending approval",
    "413": "the Postmark account may only send to its own domain until approved",
}


@dataclass
class Outgoing:
    to: str
    from_email: str
    subject: str
    text: str
    html: str
    reply_to: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    metadata: dict[str, str] = field(default_factory=dict)
    tag: str = ""
    stream: str = ""


def _api(path: str) -> str:
    return f"{settings.POSTMARK_API_BASE}{path}"


def _headers(token: str) -> dict[str, str]:
    return {"Accept": "application/json", "X-Postmark-Server-Token": token}


def _describe(status: int, data: Any, fallback: str) -> tuple[str, str]:
    code = ""
    text = fallback
    if isinstance(data, dict):
        if data.get("ErrorCode") is not None:
            code = str(data["ErrorCode"])
        text = str(data.get("Message") or fallback)
    message = f"Postmark {status}" + (f" error {code}" if code else "") + f": {text}"
    return code, message[:500]


def _json(response: requests.Response | None) -> Any:
    if response is None:
        return None
    try:
        return response.json()
    except ValueError:
        return None


def _api_error(exc: AnymailRequestsAPIError) -> ProviderError:
    response = getattr(exc, "response", None)
    if response is None:  # no answer: a timeout or a refused connection
        cause = type(exc.__cause__).__name__ if exc.__cause__ else "no response"
        return ProviderError(f"Postmark could not be reached: {cause}", retryable=True)
    code, message = _describe(response.status_code, _json(response), response.reason or "")
    retryable = response.status_code == 429 or response.status_code >= 500
    return ProviderError(message, retryable=retryable, code=code or str(response.status_code))


def send(row: MailSettings, outgoing: Outgoing) -> Sent:
    connection = get_connection(
        BACKEND,
        server_token=str(row.server_token or ""),
        api_url=f"{settings.POSTMARK_API_BASE}/",
        timeout=settings.MESSAGING_HTTP_TIMEOUT,
        # Refused recipients come back as a status (with Postmark's ErrorCode) to read below.
        ignore_recipient_status=True,
    )
    email = AnymailMessage(
        subject=outgoing.subject,
        body=outgoing.text,
        from_email=outgoing.from_email,
        to=[outgoing.to],
        reply_to=outgoing.reply_to,
        headers=outgoing.headers,
        connection=connection,
    )
    email.attach_alternative(outgoing.html, "text/html")
    email.metadata = outgoing.metadata
    if outgoing.tag:
        email.tags = [outgoing.tag]
    if outgoing.stream:
        email.esp_extra = {"MessageStream": outgoing.stream}
    try:
        email.send()
    except AnymailRequestsAPIError as exc:
        raise _api_error(exc) from exc
    except AnymailError as exc:
        raise ProviderError(f"the email could not be built: {exc}"[:500], retryable=False) from exc
    status = email.anymail_status
    recipient = status.recipients.get(outgoing.to) if status.recipients else None
    if recipient is None or recipient.message_id is None:
        response = status.esp_response
        code, message = _describe(
            getattr(response, "status_code", 422), _json(response), "recipient refused"
        )
        raise ProviderError(message, retryable=False, code=code or "rejected")
    return Sent(sid=str(recipient.message_id), status=str(recipient.status or "sent"))


def find_sent(row: MailSettings, *, to: str, attempt_key: str, exclude: set[str]) -> Sent | None:
    """The message Postmark took for this attempt, found by its metadata (after a crash)."""
    params = {
        "recipient": to,
        "count": "50",
        "offset": "0",
        f"metadata_{META_ATTEMPT}": attempt_key,
    }
    try:
        response = requests.get(
            _api("/messages/outbound"),
            params=params,
            headers=_headers(str(row.server_token or "")),
            timeout=settings.MESSAGING_HTTP_TIMEOUT,
        )
    except requests.RequestException as exc:
        raise ProviderError(
            f"Postmark could not be reached: {type(exc).__name__}", retryable=True
        ) from exc
    if response.status_code != 200:
        code, message = _describe(response.status_code, _json(response), response.reason)
        retryable = response.status_code == 429 or response.status_code >= 500
        raise ProviderError(message, retryable=retryable, code=code)
    for item in (_json(response) or {}).get("Messages") or []:
        metadata = item.get("Metadata") or {}
        if metadata.get(META_ATTEMPT) == attempt_key and item.get("MessageID") not in exclude:
            return Sent(sid=str(item["MessageID"]), status="sent")
    return None


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str
    inbound_address: str = ""


def check_server(token: str) -> Check:
    """``GET /server`` with the token: does Postmark accept it, and which server is it?"""
    if not token:
        return Check(False, "No server token is saved yet.")
    try:
        response = requests.get(
            _api("/server"), headers=_headers(token), timeout=settings.MESSAGING_HTTP_TIMEOUT
        )
    except requests.RequestException as exc:
        return Check(False, f"Postmark could not be reached ({type(exc).__name__}).")
    data = _json(response)
    if response.status_code == 200 and isinstance(data, dict):
        name = str(data.get("Name") or "unnamed")
        return Check(
            True,
            f"Connected to the Postmark server “{name}”.",
            inbound_address=str(data.get("InboundAddress") or ""),
        )
    if response.status_code == 401:
        return Check(False, "Postmark refused the server token (401): check it and save again.")
    _, message = _describe(response.status_code, data, response.reason or "")
    return Check(False, f"{message}.")
