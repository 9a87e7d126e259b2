"""A fake Postmark API: ``POST /email``, ``GET /messages/outbound`` and ``GET /server``.

Every request needs ``X-Postmark-Server-Token`` (else 401, ErrorCode 10). POST
/email takes Postmark's JSON (From, To, Subject, TextBody, HtmlBody, ReplyTo,
Headers, Metadata, Tag, MessageStream) and answers ``{"To", "SubmittedAt",
"MessageID", "ErrorCode": 0, "Message": "OK"}``; ``inactive`` addresses get 422
ErrorCode 406 and ``invalid`` ones 422 ErrorCode 300, worded as Postmark words
them. The outbound search filters by ``recipient`` and ``metadata_<key>``.
``fail_next`` (HTTP statuses, or ``(status, ErrorCode)`` pairs) fails sends.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from aescrm.testing.fakes.base import Answer, FakeServer, Recorded

SERVER_TOKEN = "fake-postmark-server-token-0001"
SERVER_NAME = "Alpha Dental (fake)"
INBOUND_ADDRESS = "4f1a2b3c4d5e6f708192a3b4c5d6e7f8@inbound.postmarkapp.com"


def _error(status: int, code: int, message: str) -> Answer:
    return status, {"ErrorCode": code, "Message": message}


class FakePostmark(FakeServer):
    def __init__(self, *, server_token: str = SERVER_TOKEN) -> None:
        super().__init__()
        self.server_token = server_token
        self.fail_next: list[int | tuple[int, int]] = []
        self.inactive: set[str] = set()
        self.invalid: set[str] = set()
        self.messages: list[dict[str, Any]] = []

    @property
    def api_base(self) -> str:
        return self.origin

    def sent_to(self, address: str) -> list[dict[str, Any]]:
        return [m for m in self.messages if m["To"] == address]

    def header(self, message: dict[str, Any], name: str) -> str | None:
        for item in message.get("Headers") or []:
            if item["Name"].lower() == name.lower():
                return str(item["Value"])
        return None

    def answer(self, request: Recorded) -> Answer:
        if request.headers.get("x-postmark-server-token") != self.server_token:
            return _error(
                401,
                10,
                "Request does not contain a valid Server token. Please check that you are "
                "using the right Server token for this server.",
            )
        if request.method == "GET" and request.path == "/server":
            return 200, {
                "ID": 1,
                "Name": SERVER_NAME,
                "InboundAddress": INBOUND_ADDRESS,
                "InboundHash": INBOUND_ADDRESS.split("@")[0],
                "DeliveryType": "Live",
            }
        if request.method == "GET" and request.path == "/messages/outbound":
            return 200, self._search(request.query)
        if request.method == "POST" and request.path == "/email":
            return self._send(request.json)
        return _error(404, 0, "Not found")

    def _search(self, query: dict[str, list[str]]) -> dict[str, Any]:
        recipient = (query.get("recipient") or [""])[0]
        wanted = {
            k[len("metadata_") :]: v[0] for k, v in query.items() if k.startswith("metadata_")
        }
        found = [
            m
            for m in reversed(self.messages)
            if (not recipient or m["To"] == recipient)
            and all((m.get("Metadata") or {}).get(k) == v for k, v in wanted.items())
        ]
        return {
            "TotalCount": len(found),
            "Messages": [
                {
                    "Tag": m.get("Tag", ""),
                    "MessageID": m["MessageID"],
                    "MessageStream": m.get("MessageStream", "outbound"),
                    "To": [{"Email": m["To"], "Name": None}],
                    "Recipients": [m["To"]],
                    "ReceivedAt": m["SubmittedAt"],
                    "From": m["From"],
                    "Subject": m.get("Subject", ""),
                    "Status": "Sent",
                    "Metadata": m.get("Metadata") or {},
                }
                for m in found
            ],
        }

    def _send(self, data: Any) -> Answer:
        if not isinstance(data, dict):
            return _error(422, 402, "Received invalid JSON input.")
        if self.fail_next:
            failure = self.fail_next.pop(0)
            status, code = failure if isinstance(failure, tuple) else (failure, 0)
            return _error(status, code, "Simulated failure")
        to = str(data.get("To") or "")
        address = to.rsplit("<", 1)[-1].rstrip(">").strip().lower()
        if not data.get("From"):
            return _error(422, 300, "Invalid 'From' address: ''.")
        if not to or address in self.invalid:
            return _error(422, 300, f"Invalid 'To' address: '{address}'.")
        if address in self.inactive:
            return _error(
                422,
                406,
                "You tried to send to recipient(s) that have been marked as inactive.\n"
                f"Found inactive addresses: {address}.\n"
                "Inactive recipients are ones that have generated a hard bounce or a spam "
                "complaint. ",
            )
        now = dt.datetime.now(dt.UTC).isoformat()
        message = {**data, "To": address, "MessageID": str(uuid.uuid4()), "SubmittedAt": now}
        self.messages.append(message)
        return 200, {
            "To": address,
            "SubmittedAt": now,
            "MessageID": message["MessageID"],
            "ErrorCode": 0,
            "Message": "OK",
        }
