"""'Test connection' on the settings page: do these Twilio credentials open the account?

``GET {TWILIO_API_BASE}/2010-04-01/Accounts/{AccountSid}.json`` with HTTP basic
auth (SID:token) answers 200 with the account (``friendly_name``, ``status``)
or 401 when Twilio does not accept the pair. Nothing is saved.
"""

from __future__ import annotations

from dataclasses import dataclass

import requests
from django.conf import settings

from aescrm.accounts.caller import Caller
from aescrm.accounts.permissions import Perm
from aescrm.audit.services import audit_record
from aescrm.core.problems import DomainError
from aescrm.messaging import settings_fields


@dataclass(frozen=True)
class ConnectionResult:
    ok: bool
    message: str
    status: int | None = None


def _check(account_sid: str, auth_token: str) -> ConnectionResult:
    if not account_sid or not auth_token:
        return ConnectionResult(False, "Enter the account SID and auth token first.")
    url = f"{settings.TWILIO_API_BASE}/2010-04-01/Accounts/{account_sid}.json"
    try:
        response = requests.get(
            url, auth=(account_sid, auth_token), timeout=settings.MESSAGING_HTTP_TIMEOUT
        )
    except requests.RequestException:
        return ConnectionResult(False, "Twilio could not be reached. Try again in a minute.")
    if response.status_code in (401, 403):
        return ConnectionResult(
            False,
            f"Twilio refused these credentials ({response.status_code}). "
            "Check the account SID and auth token in the Twilio Console.",
            response.status_code,
        )
    if response.status_code != 200:
        return ConnectionResult(
            False, f"Twilio answered with an error ({response.status_code}).", response.status_code
        )
    try:
        data = response.json()
    except ValueError:
        data = {}
    name = str(data.get("friendly_name") or account_sid) if isinstance(data, dict) else account_sid
    state = str(data.get("status") or "active") if isinstance(data, dict) else "active"
    if state != "active":
        return ConnectionResult(False, f"Connected to {name}, but Twilio says it is {state}.", 200)
    return ConnectionResult(True, f"Connected to {name}.", 200)


def connection_test(*, caller: Caller, account_sid: str, auth_token: str) -> ConnectionResult:
    """Ask Twilio whether this SID and token open an account (the token is never shown)."""
    caller.require(Perm.MESSAGING_SETTINGS_MANAGE)
    try:
        account_sid = settings_fields.account_sid(account_sid)
    except DomainError as exc:
        return ConnectionResult(False, exc.detail[:1].upper() + exc.detail[1:] + ".")
    result = _check(account_sid, auth_token.strip())
    audit_record(
        "messaging.connection_test",
        object_type="messaging_settings",
        detail={"ok": result.ok, "status": result.status},
    )
    return result
