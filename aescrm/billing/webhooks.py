"""``POST /webhooks/stripe``: Stripe's signed events about subscriptions and invoices.

The ``Stripe-Signature`` header is checked with the stripe library against
``STRIPE_WEBHOOK_SECRET`` (a timestamp more than 300 seconds old is refused as
a replay) before anything is read; a bad, stale or missing signature gets 400
with a problem-details body naming the problem, and nothing is stored. A
verified event is stored and applied once (aescrm.billing.events); a repeat
answers 200 and changes nothing. If Stripe cannot be reached to read the
current state, the answer is 503 and nothing is stored, so Stripe retries.
"""

from __future__ import annotations

import json
import logging

import stripe
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from aescrm.audit.context import Actor, acting_as
from aescrm.billing import events
from aescrm.billing.stripe_api import BillingError
from aescrm.core.problems import problem_response

logger = logging.getLogger(__name__)

ACTOR = Actor(type="system", label="Stripe webhook")
# Seconds a signature's timestamp may be old (Stripe's own default).
TOLERANCE = 300
MAX_BODY = 1024 * 1024


def _bad(detail: str, *, title: str = "Bad webhook", slug: str = "bad-webhook") -> JsonResponse:
    return problem_response(status=400, title=title, detail=detail, type_slug=slug)


def _signature_problem(exc: stripe.SignatureVerificationError) -> str:
    text = str(exc)
    if "No Stripe-Signature header" in text:
        return "the Stripe-Signature header is missing"
    if "Timestamp outside the tolerance zone" in text:
        return (
            f"the signature's timestamp is more than {TOLERANCE} seconds old "
            "(a replayed event, or a clock far out)"
        )
    if "Unable to extract" in text or "No signatures found with expected scheme" in text:
        return "the Stripe-Signature header is malformed (expected t=<time>,v1=<signature>)"
    return "the signature does not match this body and the webhook signing secret"


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        return problem_response(
            status=503,
            title="Not set up",
            detail="Stripe webhooks are not set up here (STRIPE_WEBHOOK_SECRET is empty)",
            type_slug="not-configured",
        )
    if len(request.body) > MAX_BODY:
        return _bad("the body is too large for a Stripe event")
    try:
        payload = request.body.decode("utf-8")
    except UnicodeDecodeError:
        return _bad("the body is not UTF-8")
    try:
        stripe.WebhookSignature.verify_header(
            payload, request.headers.get("Stripe-Signature"), secret, TOLERANCE
        )
    except stripe.SignatureVerificationError as exc:
        return _bad(_signature_problem(exc), title="Bad signature", slug="bad-signature")
    try:
        event = events.Event.parse(json.loads(payload))
    except ValueError as exc:
        return _bad(str(exc) if not isinstance(exc, json.JSONDecodeError) else "not JSON")
    with acting_as(ACTOR):
        try:
            outcome = events.receive(event)
        except BillingError as exc:
            logger.warning("Stripe event %s not taken: %s", event.id, exc)
            return problem_response(
                status=503,
                title="Stripe unavailable",
                detail=f"{exc}; nothing was recorded, so Stripe will send the event again",
                type_slug="stripe-unavailable",
            )
    return JsonResponse({"received": True, "event": event.id, "outcome": outcome})
