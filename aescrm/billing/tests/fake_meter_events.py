"""A fake of Stripe's ``POST /v1/billing/meter_events`` over HTTP, for the overage tests.

Like Stripe, it keeps one event per ``identifier`` (a repeat is a duplicate and
adds nothing) and checks the secret key. ``lose_answers`` takes the next N
events and then hangs up without answering, as a network failure after Stripe
took the event would look to us.
"""

from __future__ import annotations

import time
from typing import Any

from aescrm.testing.fakes.base import Answer, FakeServer, Recorded

SECRET_KEY = "sk_test_usage_fake"


class FakeMeterEvents(FakeServer):
    def __init__(self) -> None:
        super().__init__()
        self.events: dict[str, dict[str, Any]] = {}
        self.lose_answers = 0

    def handle(self, request: Recorded) -> Any:
        with self.lock:
            self.requests.append(request)
            answer = self.answer(request)
            if answer[0] == 200 and self.lose_answers:
                self.lose_answers -= 1
                return None
            return answer

    def total(self, customer: str, event_name: str) -> int:
        return sum(
            int(e["value"])
            for e in self.events.values()
            if e["customer"] == customer and e["event_name"] == event_name
        )

    def answer(self, request: Recorded) -> Answer:
        if request.headers.get("authorization") != f"Bearer {SECRET_KEY}":
            return 401, {"error": {"type": "invalid_request_error", "message": "Invalid API Key"}}
        if (request.method, request.path) != ("POST", "/v1/billing/meter_events"):
            return 404, {"error": {"type": "invalid_request_error", "message": "Unrecognized"}}
        form = {k: v[0] for k, v in request.form.items()}
        identifier = form.get("identifier") or f"auto-{len(self.events)}"
        self.events.setdefault(
            identifier,
            {
                "event_name": form["event_name"],
                "customer": form["payload[stripe_customer_id]"],
                "value": form["payload[value]"],
                "timestamp": int(form["timestamp"]),
            },
        )
        return 200, {
            "object": "billing.meter_event",
            "created": int(time.time()),
            "event_name": form["event_name"],
            "identifier": identifier,
            "livemode": False,
            "payload": {
                "stripe_customer_id": form["payload[stripe_customer_id]"],
                "value": form["payload[value]"],
            },
            "timestamp": int(form["timestamp"]),
        }
