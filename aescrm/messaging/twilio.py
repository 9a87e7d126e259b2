"""The live Twilio adapter: Programmable Messaging over HTTPS (base URL from TWILIO_API_BASE).

``POST /2010-04-01/Accounts/{AccountSid}/Messages.json`` (form-encoded To, From
or MessagingServiceSid, Body, StatusCallback; HTTP basic auth SID:token) answers
201 with the Message resource (``sid``, ``status``). Errors carry Twilio's
envelope ``{"code", "message", "more_info", "status"}``.
"""

from __future__ import annotations

import datetime as dt
import email.utils
from typing import Any

import requests
from django.conf import settings

from aescrm.messaging.models import MessagingSettings
from aescrm.messaging.providers import ProviderError, Sent

__all__ = ["PERMANENT_CODES", "ProviderError", "Sent", "find_sent", "ready", "send_sms"]

# Twilio error codes that mean "this message will never go": fail at once.
PERMANENT_CODES = {
    "21211": "invalid 'To' phone number",
    "21408": "permission to send to this region is not enabled",
    "21610": "the recipient has replied STOP to this number",
    "21612": "cannot route to this number from this sender",
    "21614": "'To' number is not a valid mobile number",
}
# Reconciling lists one recipient's messages: a few pages at most.
MAX_LIST_PAGES = 10


def _url(row: MessagingSettings) -> str:
    return f"{settings.TWILIO_API_BASE}/2010-04-01/Accounts/{row.twilio_account_sid}/Messages.json"


def _auth(row: MessagingSettings) -> tuple[str, str]:
    return (row.twilio_account_sid, str(row.twilio_auth_token or ""))


def ready(row: MessagingSettings | None) -> bool:
    return bool(
        row
        and row.twilio_account_sid
        and row.twilio_auth_token
        and (row.sending_number or row.messaging_service_sid)
    )


def _error(response: requests.Response) -> ProviderError:
    try:
        data: Any = response.json()
    except ValueError:
        data = {}
    code = str(data.get("code") or "") if isinstance(data, dict) else ""
    text = (data.get("message") if isinstance(data, dict) else "") or response.reason
    message = f"Twilio {response.status_code}" + (f" error {code}" if code else "") + f": {text}"
    retryable = response.status_code == 429 or response.status_code >= 500
    return ProviderError(message[:500], retryable=retryable, code=code)


def send_sms(row: MessagingSettings, *, to: str, body: str, status_callback: str) -> Sent:
    form = {"To": to, "Body": body, "StatusCallback": status_callback}
    if row.messaging_service_sid:
        form["MessagingServiceSid"] = row.messaging_service_sid
    else:
        form["From"] = row.sending_number
    try:
        response = requests.post(
            _url(row), data=form, auth=_auth(row), timeout=settings.MESSAGING_HTTP_TIMEOUT
        )
    except requests.RequestException as exc:
        raise ProviderError(
            f"Twilio could not be reached: {type(exc).__name__}", retryable=True
        ) from exc
    if response.status_code not in (200, 201):
        raise _error(response)
    data = response.json()
    return Sent(sid=str(data["sid"]), status=str(data.get("status") or "queued"))


def _created(item: dict[str, Any]) -> dt.datetime | None:
    try:
        return email.utils.parsedate_to_datetime(str(item.get("date_created") or ""))
    except (TypeError, ValueError):
        return None


def find_sent(
    row: MessagingSettings, *, to: str, body: str, since: dt.datetime, exclude: set[str]
) -> Sent | None:
    """A message Twilio already took for this attempt (to reconcile after a crash).

    Lists the account's messages to ``to`` (all pages, newest first) and takes
    the newest outbound one from this clinic's sender with this body, created
    at or after ``since``, whose sid is not in ``exclude``. No ``DateSent``
    filter: a message still waiting in Twilio's queue has no ``date_sent`` yet
    and would not be listed, and then be sent twice.
    """
    params: dict[str, str] = {"To": to, "PageSize": "1000"}
    if not row.messaging_service_sid:
        params["From"] = row.sending_number
    url: str | None = _url(row)
    for _ in range(MAX_LIST_PAGES):
        if url is None:
            break
        try:
            response = requests.get(
                url, params=params, auth=_auth(row), timeout=settings.MESSAGING_HTTP_TIMEOUT
            )
        except requests.RequestException as exc:
            raise ProviderError(
                f"Twilio could not be reached: {type(exc).__name__}", retryable=True
            ) from exc
        if response.status_code != 200:
            raise _error(response)
        data = response.json()
        for item in data.get("messages") or []:
            ours = (
                item.get("messaging_service_sid") == row.messaging_service_sid
                if row.messaging_service_sid
                else item.get("from") == row.sending_number
            )
            created = _created(item)
            if (
                ours
                and item.get("direction", "outbound-api").startswith("outbound")
                and item.get("body") == body
                and item.get("sid") not in exclude
                # A date we cannot read counts: better not sent twice than sent twice.
                and (created is None or created >= since)
            ):
                return Sent(sid=str(item["sid"]), status=str(item.get("status") or "queued"))
        following = data.get("next_page_uri")
        url, params = (f"{settings.TWILIO_API_BASE}{following}", {}) if following else (None, {})
    return None
