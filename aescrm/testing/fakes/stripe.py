"""A fake Stripe API (the parts AES-CRM uses), and signed webhook events for tests.

Every request needs ``Authorization: Bearer <secret key>`` (else 401 with
Stripe's error envelope ``{"error": {"type", "code", "message"}}``). Bodies are
form-encoded with Stripe's brackets (``line_items[0][price]``), unflattened
into ``Recorded.params`` style dicts by ``params(request)``.

- ``POST /v1/customers`` → a Customer (``cus_…``).
- ``POST /v1/checkout/sessions`` (``mode=subscription``, one line item with a
  ``price`` this fake knows, ``success_url``, ``cancel_url``) → an open
  Checkout Session with a ``url`` on this fake; ``complete_checkout`` then
  creates its Subscription as Stripe does when the customer pays.
- ``POST /v1/billing_portal/sessions`` (``customer``) → a portal Session with a ``url``.
- ``GET /v1/subscriptions/{id}``, ``GET /v1/invoices/{id}``,
  ``GET /v1/invoices?customer=…`` → the object's current state (404
  ``resource_missing`` for an unknown id), shaped as API version
  2025-03-31 and later: the billing period on the subscription item, an
  invoice's subscription under ``parent.subscription_details``.

Test helpers set a subscription's or invoice's state (``put_subscription``,
``update_subscription``, ``put_invoice``), build an event around an object
(``event``) and sign it with the library's own scheme (``sign``).
``fail_next`` answers the next requests with those HTTP statuses.
"""

from __future__ import annotations

import itertools
import json
import re
import time
from typing import Any

import stripe

from aescrm.testing.fakes.base import Answer, FakeServer, Recorded

SECRET_KEY = "sk_test_fake_0001"
WEBHOOK_SECRET = "whsec_fake_0001"
API_VERSION = "2026-10-28.endive"
# Prices the fake sells: id → pence a month.
PRICES = {"price_starter": 9900, "price_growth": 19900, "price_practice": 39900}
_IDS = itertools.count(1)
_OBJECT = re.compile(r"^/v1/(subscriptions|invoices)/([A-Za-z0-9_]+)$")
MONTH = 30 * 24 * 3600


def new_id(prefix: str) -> str:
    return f"{prefix}_fake{next(_IDS):06d}"


def _error(status: int, message: str, *, type_: str, code: str = "", param: str = "") -> Answer:
    error: dict[str, Any] = {"type": type_, "message": message}
    if code:
        error["code"] = code
    if param:
        error["param"] = param
    return status, {"error": error}


def _set_path(target: dict[str, Any], keys: list[str], value: str) -> None:
    node: Any = target
    for key, following in itertools.pairwise(keys):
        empty: Any = [] if following.isdigit() else {}
        if isinstance(node, list):
            index = int(key)
            node.extend([None] * (index + 1 - len(node)))
            if node[index] is None:
                node[index] = empty
            node = node[index]
        else:
            node = node.setdefault(key, empty)
    if isinstance(node, list):
        index = int(keys[-1])
        node.extend([None] * (index + 1 - len(node)))
        node[index] = value
    else:
        node[keys[-1]] = value


def params(request: Recorded) -> dict[str, Any]:
    """A form body (or query) with Stripe's bracketed keys as nested dicts and lists."""
    source = request.form or request.query
    out: dict[str, Any] = {}
    for raw_key, values in source.items():
        keys = re.findall(r"[^\[\]]+", raw_key)
        if keys:
            _set_path(out, keys, values[-1])
    return out


class FakeStripe(FakeServer):
    def __init__(self, *, secret_key: str = SECRET_KEY) -> None:
        super().__init__()
        self.secret_key = secret_key
        self.fail_next: list[int] = []
        self.customers: dict[str, dict[str, Any]] = {}
        self.checkout_sessions: dict[str, dict[str, Any]] = {}
        self.portal_sessions: dict[str, dict[str, Any]] = {}
        self.subscriptions: dict[str, dict[str, Any]] = {}
        self.invoices: dict[str, dict[str, Any]] = {}

    @property
    def api_base(self) -> str:
        return self.origin

    def calls(self, method: str, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path == path]

    # -- the API -----------------------------------------------------------------------

    def answer(self, request: Recorded) -> Answer:
        if request.headers.get("authorization") != f"Bearer {self.secret_key}":
            return _error(
                401,
                "Invalid API Key provided: "
                + (request.headers.get("authorization", "").removeprefix("Bearer ")[:8] or "none")
                + "****",
                type_="invalid_request_error",
            )
        if self.fail_next:
            status = self.fail_next.pop(0)
            return _error(status, "Simulated failure", type_="api_error")
        body = params(request)
        if request.method == "POST" and request.path == "/v1/customers":
            return self._customer_create(body)
        if request.method == "POST" and request.path == "/v1/checkout/sessions":
            return self._checkout_create(body)
        if request.method == "POST" and request.path == "/v1/billing_portal/sessions":
            return self._portal_create(body)
        if request.method == "GET" and request.path == "/v1/invoices":
            return self._invoice_list(body)
        match = _OBJECT.match(request.path)
        if request.method == "GET" and match:
            kind, object_id = match.groups()
            store = self.subscriptions if kind == "subscriptions" else self.invoices
            if object_id not in store:
                singular = kind.rstrip("s")
                return _error(
                    404,
                    f"No such {singular}: '{object_id}'",
                    type_="invalid_request_error",
                    code="resource_missing",
                    param="id",
                )
            return 200, store[object_id]
        return _error(
            404,
            f"Unrecognized request URL ({request.method}: {request.path}).",
            type_="invalid_request_error",
        )

    def _customer_create(self, body: dict[str, Any]) -> Answer:
        customer_id = new_id("cus")
        customer: dict[str, Any] = {
            "id": customer_id,
            "object": "customer",
            "created": int(time.time()),
            "email": body.get("email"),
            "name": body.get("name"),
            "metadata": body.get("metadata") or {},
            "livemode": False,
        }
        self.customers[customer_id] = customer
        return 200, customer

    def _checkout_create(self, body: dict[str, Any]) -> Answer:
        if body.get("mode") != "subscription":
            return _error(
                400, "This fake only does mode=subscription.", type_="invalid_request_error"
            )
        items = body.get("line_items") or []
        price = items[0].get("price") if items and isinstance(items[0], dict) else None
        if price not in PRICES:
            return _error(
                400,
                f"No such price: '{price}'",
                type_="invalid_request_error",
                code="resource_missing",
                param="line_items[0][price]",
            )
        for field in ("success_url", "cancel_url"):
            if not body.get(field):
                return _error(
                    400, f"Missing required param: {field}.", type_="invalid_request_error"
                )
        customer = body.get("customer")
        if customer and customer not in self.customers:
            return _error(
                400,
                f"No such customer: '{customer}'",
                type_="invalid_request_error",
                code="resource_missing",
                param="customer",
            )
        session_id = new_id("cs_test")
        session = {
            "id": session_id,
            "object": "checkout.session",
            "mode": "subscription",
            "status": "open",
            "payment_status": "unpaid",
            "customer": customer,
            "client_reference_id": body.get("client_reference_id"),
            "metadata": body.get("metadata") or {},
            "subscription": None,
            "success_url": body["success_url"],
            "cancel_url": body["cancel_url"],
            "url": f"{self.origin}/c/pay/{session_id}",
            "livemode": False,
            # Kept for complete_checkout (Stripe keeps them on the session too).
            "_price": price,
            "_subscription_metadata": (body.get("subscription_data") or {}).get("metadata") or {},
            "_trial_end": (body.get("subscription_data") or {}).get("trial_end"),
        }
        self.checkout_sessions[session_id] = session
        return 200, self._public(session)

    def _portal_create(self, body: dict[str, Any]) -> Answer:
        customer = body.get("customer")
        if customer not in self.customers:
            return _error(
                400,
                f"No such customer: '{customer}'",
                type_="invalid_request_error",
                code="resource_missing",
                param="customer",
            )
        session_id = new_id("bps")
        session = {
            "id": session_id,
            "object": "billing_portal.session",
            "customer": customer,
            "return_url": body.get("return_url"),
            "url": f"{self.origin}/p/session/{session_id}",
            "livemode": False,
        }
        self.portal_sessions[session_id] = session
        return 200, session

    def _invoice_list(self, query: dict[str, Any]) -> Answer:
        customer = query.get("customer")
        found = [
            inv
            for inv in sorted(self.invoices.values(), key=lambda i: -int(i["created"]))
            if not customer or inv["customer"] == customer
        ]
        limit = int(query.get("limit") or 10)
        return 200, {
            "object": "list",
            "data": found[:limit],
            "has_more": len(found) > limit,
            "url": "/v1/invoices",
        }

    @staticmethod
    def _public(obj: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in obj.items() if not k.startswith("_")}

    # -- test helpers: Stripe's side of the story --------------------------------------

    def add_customer(self, customer_id: str | None = None) -> str:
        customer_id = customer_id or new_id("cus")
        self.customers[customer_id] = {"id": customer_id, "object": "customer", "metadata": {}}
        return customer_id

    def put_subscription(
        self,
        *,
        customer: str,
        price: str = "price_growth",
        status: str = "active",
        subscription_id: str | None = None,
        metadata: dict[str, str] | None = None,
        period_start: int | None = None,
        trial_end: int | None = None,
        cancel_at_period_end: bool = False,
    ) -> dict[str, Any]:
        """A subscription as Stripe holds it now (created or replaced)."""
        self.customers.setdefault(customer, {"id": customer, "object": "customer"})
        start = period_start or int(time.time())
        sub_id = subscription_id or new_id("sub")
        sub = {
            "id": sub_id,
            "object": "subscription",
            "customer": customer,
            "status": status,
            "created": start,
            "start_date": start,
            "cancel_at_period_end": cancel_at_period_end,
            "canceled_at": start if status == "canceled" else None,
            "ended_at": start if status == "canceled" else None,
            "trial_start": start if trial_end else None,
            "trial_end": trial_end,
            "metadata": metadata or {},
            "livemode": False,
            "items": {
                "object": "list",
                "data": [
                    {
                        "id": new_id("si"),
                        "object": "subscription_item",
                        "subscription": sub_id,
                        "quantity": 1,
                        "current_period_start": start,
                        "current_period_end": start + MONTH,
                        "price": {
                            "id": price,
                            "object": "price",
                            "currency": "gbp",
                            "unit_amount": PRICES.get(price, 0),
                            "recurring": {"interval": "month", "interval_count": 1},
                        },
                    }
                ],
                "has_more": False,
                "url": f"/v1/subscription_items?subscription={sub_id}",
            },
        }
        self.subscriptions[sub_id] = sub
        return sub

    def update_subscription(self, subscription_id: str, **changes: Any) -> dict[str, Any]:
        """Change a subscription's state (``status``, ``cancel_at_period_end``, ``price``…)."""
        sub = self.subscriptions[subscription_id]
        price = changes.pop("price", None)
        if price:
            sub["items"]["data"][0]["price"].update(id=price, unit_amount=PRICES.get(price, 0))
        if changes.get("status") == "canceled":
            now = int(time.time())
            changes.setdefault("canceled_at", now)
            changes.setdefault("ended_at", now)
        sub.update(changes)
        return sub

    def complete_checkout(self, session_id: str, *, status: str = "active") -> dict[str, Any]:
        """The customer paid: Stripe creates the subscription and completes the session."""
        session = self.checkout_sessions[session_id]
        customer = session["customer"] or self.add_customer()
        trial_end = int(session["_trial_end"]) if session["_trial_end"] else None
        sub = self.put_subscription(
            customer=customer,
            price=session["_price"],
            # With the rest of a free trial, Stripe starts the subscription trialing.
            status="trialing" if trial_end and status == "active" else status,
            metadata=dict(session["_subscription_metadata"]),
            trial_end=trial_end,
        )
        session.update(
            status="complete", payment_status="paid", customer=customer, subscription=sub["id"]
        )
        return self._public(session)

    def put_invoice(
        self,
        *,
        subscription: dict[str, Any],
        status: str = "paid",
        amount_due: int | None = None,
        invoice_id: str | None = None,
    ) -> dict[str, Any]:
        item = subscription["items"]["data"][0]
        amount = item["price"]["unit_amount"] if amount_due is None else amount_due
        inv_id = invoice_id or new_id("in")
        number = f"FAKE-{len(self.invoices) + 1:04d}"
        invoice = {
            "id": inv_id,
            "object": "invoice",
            "customer": subscription["customer"],
            "number": number,
            "status": status,
            "currency": "gbp",
            "amount_due": amount,
            "amount_paid": amount if status == "paid" else 0,
            "amount_remaining": 0 if status == "paid" else amount,
            "attempt_count": 1,
            "billing_reason": "subscription_cycle",
            "created": int(time.time()),
            "period_start": item["current_period_start"],
            "period_end": item["current_period_end"],
            "hosted_invoice_url": f"{self.origin}/i/{inv_id}",
            "invoice_pdf": f"{self.origin}/i/{inv_id}/pdf",
            "livemode": False,
            "parent": {
                "type": "subscription_details",
                "quote_details": None,
                "subscription_details": {
                    "subscription": subscription["id"],
                    "metadata": dict(subscription.get("metadata") or {}),
                },
            },
        }
        self.invoices[inv_id] = invoice
        return invoice

    def event(
        self, type_: str, obj: dict[str, Any], *, event_id: str | None = None, **extra: Any
    ) -> dict[str, Any]:
        """An event as Stripe sends it, with a snapshot (a copy) of ``obj`` as it is now."""
        return {
            "id": event_id or new_id("evt"),
            "object": "event",
            "api_version": API_VERSION,
            "created": int(time.time()),
            "type": type_,
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "data": {"object": json.loads(json.dumps(self._public(obj))), **extra},
        }


def sign(
    event: dict[str, Any] | str, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None
) -> tuple[str, str]:
    """The body and ``Stripe-Signature`` header, signed as Stripe signs (the library's scheme)."""
    body = event if isinstance(event, str) else json.dumps(event)
    header = stripe.WebhookSignature.generate_signature_header(body, secret, timestamp)
    return body, header
