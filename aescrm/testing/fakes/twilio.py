"""A fake Twilio Programmable Messaging API: ``/2010-04-01/Accounts/{Sid}/Messages.json``,
and the account itself, ``GET /2010-04-01/Accounts/{Sid}.json`` (the settings page's
connection test: 200 with ``friendly_name`` and ``status``, or 401 for wrong credentials).

POST (form-encoded To, From or MessagingServiceSid, Body, StatusCallback; basic
auth SID:token) answers 201 with a Message resource, ``queued`` (``accepted``
through a Messaging Service) with no ``date_sent``: the message waits in the
sender's queue for ``queue_seconds`` (None: until the test ends), then it is
``sent`` with a ``date_sent``. GET lists messages as Twilio does: filters
``To``, ``From`` and ``DateSent`` / ``DateSent<`` / ``DateSent>`` (dates, on
``date_sent``, so a message still queued matches none of them), newest first,
``PageSize`` and ``Page`` with ``next_page_uri``. The resource carries no
``status_callback`` (Twilio's does not either). Errors use Twilio's envelope
``{"code", "message", "more_info", "status"}``.

Ways to fail as Twilio and networks do: ``fail_next`` (HTTP statuses, or
``(status, code)`` pairs), ``invalid_numbers`` (21211), ``unsubscribed``
(21610), ``drop_after_taking`` (take the next N messages, then hang up without
an answer), ``latency`` (seconds before each answer to a POST) and ``hold``
(keep one request waiting until the test releases it, so a test can kill the
client at that moment).
"""

from __future__ import annotations

import base64
import datetime as dt
import email.utils
import itertools
import re
import threading
import time
from collections import deque
from typing import Any
from urllib.parse import urlencode

from aescrm.testing.fakes.base import Answer, FakeServer, Recorded

ACCOUNT_SID = "AC" + "0" * 31 + "1"
AUTH_TOKEN = "fake-twilio-auth-token-0001"
NUMBER = "+447700900001"
FRIENDLY_NAME = "Alpha Dental (fake Twilio)"
_PATH = re.compile(r"^/2010-04-01/Accounts/(AC\w+)/Messages\.json$")
_ACCOUNT = re.compile(r"^/2010-04-01/Accounts/(AC\w+)\.json$")
_SIDS = itertools.count(1)
# A held request is let go after this long even if no test releases it.
HOLD_LIMIT_SECONDS = 60.0


def _error(status: int, code: int, message: str) -> Answer:
    return status, {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


def _rfc2822(moment: dt.datetime) -> str:
    return moment.strftime("%a, %d %b %Y %H:%M:%S +0000")


def _date(value: str | None) -> dt.date | None:
    return email.utils.parsedate_to_datetime(value).date() if value else None


class Hold:
    """One request the fake keeps waiting; see ``FakeTwilio.hold``."""

    def __init__(self, method: str, nth: int, stage: str) -> None:
        if stage not in ("received", "taken"):
            raise ValueError("stage is 'received' or 'taken'")
        self.method, self.nth, self.stage = method, nth, stage
        self.arrived = threading.Event()
        self._released = threading.Event()
        self.go_on = True

    def wait(self, timeout: float = 30.0) -> None:
        if not self.arrived.wait(timeout):
            raise AssertionError(f"{self.method} #{self.nth} never reached the fake Twilio")

    def release(self, *, go_on: bool = True) -> None:
        """``go_on``: take the message (received) or answer (taken); False hangs up instead."""
        self.go_on = go_on
        self._released.set()

    def _block(self) -> bool:
        self.arrived.set()
        self._released.wait(HOLD_LIMIT_SECONDS)
        return self.go_on


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
        # Not part of Twilio's resource: the StatusCallback each message was sent with.
        self.callbacks: dict[str, str] = {}
        self.queue_seconds: float | None = 0.0
        self.drop_after_taking = 0
        self.latency = 0.0
        self._holds: list[Hold] = []
        self._seen: dict[str, int] = {}
        self._taken_at: dict[str, float] = {}
        self._queued: deque[dict[str, Any]] = deque()  # in the order taken

    @property
    def api_base(self) -> str:
        return self.origin

    def sent_to(self, number: str) -> list[dict[str, Any]]:
        with self.lock:
            return [m for m in self.messages if m["to"] == number]

    def taken(self) -> list[dict[str, Any]]:
        """Every message taken so far (a copy, safe while the server runs)."""
        with self.lock:
            return [dict(m) for m in self.messages]

    def hold(self, method: str = "POST", *, nth: int = 1, stage: str = "received") -> Hold:
        """Keep the ``nth`` (counted from now) ``method`` request to Messages.json waiting.

        ``received``: the whole request has arrived and nothing is taken yet;
        ``taken``: the message is recorded and its answer not sent. ``Hold.wait``
        returns once it is waiting; ``Hold.release`` lets it go on or hang up.
        """
        with self.lock:
            hold = Hold(method, self._seen.get(method, 0) + nth, stage)
            self._holds.append(hold)
        return hold

    def _hold_for(self, request: Recorded, stage: str) -> Hold | None:
        count = self._seen.get(request.method, 0)
        for hold in self._holds:
            if (hold.method, hold.stage, hold.nth) == (request.method, stage, count):
                return hold
        return None

    def handle(self, request: Recorded) -> Answer | None:
        on_messages = bool(_PATH.match(request.path))
        with self.lock:
            if on_messages:
                self._seen[request.method] = self._seen.get(request.method, 0) + 1
            held = self._hold_for(request, "received") if on_messages else None
        if held is not None and not held._block():
            with self.lock:
                self.requests.append(request)
            return None  # never taken: Twilio did not get it
        with self.lock:
            self.requests.append(request)
            before = len(self.messages)
            status, body = self.answer(request)
            took = len(self.messages) > before
            hang_up = took and self.drop_after_taking > 0
            if hang_up:
                self.drop_after_taking -= 1
            held = self._hold_for(request, "taken") if on_messages else None
        if held is not None and not held._block():
            return None
        if request.method == "POST" and self.latency:
            time.sleep(self.latency)
        return None if hang_up else (status, body)

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

    def _dispatch(self) -> None:
        """Messages whose time in the sender's queue is up leave it: sent, with a date_sent."""
        if self.queue_seconds is None:
            return
        now = time.monotonic()
        while self._queued and now - self._taken_at[self._queued[0]["sid"]] >= self.queue_seconds:
            message = self._queued.popleft()
            if message["status"] in ("queued", "accepted"):
                stamp = _rfc2822(dt.datetime.now(dt.UTC))
                message.update(status="sent", date_sent=stamp, date_updated=stamp)

    def answer(self, request: Recorded) -> Answer:
        if request.method == "GET" and _ACCOUNT.match(request.path):
            return self._account(request)
        match = _PATH.match(request.path)
        if not match or match.group(1) != self.account_sid:
            return _error(404, 20404, "The requested resource was not found")
        if not self._authorised(request):
            return _error(401, 20003, "Authenticate")
        self._dispatch()
        if request.method == "GET":
            return self._list(request)
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
        now = _rfc2822(dt.datetime.now(dt.UTC))
        sid = f"SM{next(_SIDS):032x}"
        message = {
            "sid": sid,
            "account_sid": self.account_sid,
            "to": to,
            "from": form.get("From") or NUMBER,
            "messaging_service_sid": form.get("MessagingServiceSid"),
            "body": body,
            "status": "queued" if form.get("From") else "accepted",
            "direction": "outbound-api",
            "num_segments": "1",
            "date_created": now,
            "date_updated": now,
            "date_sent": None,
            "error_code": None,
            "error_message": None,
            "api_version": "2010-04-01",
        }
        self.messages.append(message)
        self.callbacks[sid] = form.get("StatusCallback", "")
        self._taken_at[sid] = time.monotonic()
        self._queued.append(message)
        return 201, dict(message)

    def _list(self, request: Recorded) -> Answer:
        query = {k: v[0] for k, v in request.query.items()}
        found = [
            m
            for m in self.messages
            if query.get("To", m["to"]) == m["to"] and query.get("From", m["from"]) == m["from"]
        ]
        for name, keep in (
            ("DateSent", lambda d, x: d == x),
            ("DateSent<", lambda d, x: d <= x),
            ("DateSent>", lambda d, x: d >= x),
        ):
            if name in query:
                wanted = dt.date.fromisoformat(query[name])
                found = [
                    m for m in found if (d := _date(m["date_sent"])) is not None and keep(d, wanted)
                ]
        # Newest first by date_sent; messages not sent yet (no date_sent) come first.
        found.sort(
            key=lambda m: (
                m["date_sent"] is None,
                email.utils.parsedate_to_datetime(m["date_sent"] or m["date_created"]),
                m["sid"],
            ),
            reverse=True,
        )
        size = max(1, min(int(query.get("PageSize", 50)), 1000))
        page = max(0, int(query.get("Page", 0)))
        items = found[page * size : (page + 1) * size]

        def uri(number: int) -> str:
            return f"{request.path}?{urlencode({**query, 'PageSize': size, 'Page': number})}"

        more = (page + 1) * size < len(found)
        return 200, {
            "messages": [dict(m) for m in items],
            "page": page,
            "page_size": size,
            "start": page * size,
            "end": page * size + max(len(items) - 1, 0),
            "uri": uri(page),
            "first_page_uri": uri(0),
            "next_page_uri": uri(page + 1) if more else None,
            "previous_page_uri": uri(page - 1) if page else None,
        }
