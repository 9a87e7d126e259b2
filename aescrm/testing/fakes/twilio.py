"""A fake Twilio Programmable Messaging API: ``/2010-04-01/Accounts/{Sid}/Messages.json``,
and the account itself, ``GET /2010-04-01/Accounts/{Sid}.json`` (the settings page's
connection test: 200 with ``friendly_name`` and ``status``, or 401 for wrong credentials).

POST (form-encoded To, From or MessagingServiceSid, Body, StatusCallback; basic
auth SID:token) answers 201 with a Message resource; GET lists the messages
taken (filter ``To``) as ``{"messages": [...]}``. Errors use Twilio's envelope
``{"code", "message", "more_info", "status"}``. ``fail_next`` (HTTP statuses,
or ``(status, code)`` pairs), ``invalid_numbers`` (21211) and ``unsubscribed``
(21610) make it fail the way Twilio does.
"""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import re
from typing import Any

from aescrm.testing.fakes.base import Answer, FakeServer, Recorded

ACCOUNT_SID = "AC" + "0" * 31 + "1"
AUTH_TOKEN = "fake-twilio-auth-token-0001"
NUMBER = "+447700900001"
FRIENDLY_NAME = "Alpha Dental (fake Twilio)"
_PATH = re.compile(r"^/2010-04-01/Accounts/(AC\w+)/Messages\.json$")
_ACCOUNT = re.compile(r"^/2010-04-01/Accounts/(AC\w+)\.json$")
_SIDS = itertools.count(1)


def _error(status: int, code: int, message: str) -> Answer:
    return status, {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


class FakeTwilio(FakeServer):
    def __init__(self, *, account_sid: str = ACCOUNT_SID, auth_token: str = AUTH_TOKEN) -> None:
        super().__init__()
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.fail_next: list[int | tuple[int, int]] = []
        self.invalid_numbers: set[str] = set()
        self.unsubscribed: set[str] = set()
        self.messages: list[dict[str, Any]] = []
        self.friendly_name = FRIENDLY_NAME
        self.account_status = "active"

    @property
    def api_base(self) -> str:
        return self.origin

    def sent_to(self, number: str) -> list[dict[str, Any]]:
        return [m for m in self.messages if m["to"] == number]

    def _authorised(self, request: Recorded) -> bool:
        header = request.headers.get("authorization", "")
        if not header.startswith("Basic "):
            return False
        try:
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        except ValueError:
            return False
        return user == self.account_sid and password == self.auth_token

    def _account(self, request: Recorded) -> Answer:
        # Twilio answers 401 for a SID it cannot authenticate, whether or not it exists.
        if not self._authorised(request):
            return _error(401, 20003, "Authenticate")
        return 200, {
            "sid": self.account_sid,
            "friendly_name": self.friendly_name,
            "status": self.account_status,
            "type": "Full",
            "owner_account_sid": self.account_sid,
        }

    def answer(self, request: Recorded) -> Answer:
        if request.method == "GET" and _ACCOUNT.match(request.path):
            return self._account(request)
        match = _PATH.match(request.path)
        if not match or match.group(1) != self.account_sid:
            return _error(404, 20404, "The requested resource was not found")
        if not self._authorised(request):
            return _error(401, 20003, "Authenticate")
        if request.method == "GET":
            to = (request.query.get("To") or [""])[0]
            found = [m for m in reversed(self.messages) if not to or m["to"] == to]
            return 200, {"messages": found, "page": 0, "page_size": 50}
        if self.fail_next:
            failure = self.fail_next.pop(0)
            status, code = failure if isinstance(failure, tuple) else (failure, 20500)
            return _error(status, code, "Simulated failure")
        form = {k: v[0] for k, v in request.form.items()}
        to, body = form.get("To", ""), form.get("Body", "")
        if not to:
            return _error(400, 21604, "A 'To' phone number is required.")
        if not body:
            return _error(400, 21602, "Message body is required.")
        if not (form.get("From") or form.get("MessagingServiceSid")):
            return _error(400, 21603, "A 'From' phone number is required.")
        if to in self.invalid_numbers:
            return _error(400, 21211, f"The 'To' number {to} is not a valid phone number.")
        if to in self.unsubscribed:
            return _error(400, 21610, "Attempt to send to unsubscribed recipient")
        now = dt.datetime.now(dt.UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
        message = {
            "sid": f"SM{next(_SIDS):032x}",
            "account_sid": self.account_sid,
            "to": to,
            "from": form.get("From") or NUMBER,
            "messaging_service_sid": form.get("MessagingServiceSid"),
            "body": body,
            "status": "queued" if form.get("From") else "accepted",
            "direction": "outbound-api",
            "num_segments": "1",
            "date_created": now,
            "date_sent": None,
            "error_code": None,
            "error_message": None,
            "status_callback": form.get("StatusCallback"),
            "api_version": "2010-04-01",
        }
        self.messages.append(message)
        return 201, message
