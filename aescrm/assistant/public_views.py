"""The assistant's public endpoints for clinics' websites (called by widget.js).

``GET  /public/v1/{key}/assistant``                       what the widget shows before a message
``POST /public/v1/{key}/chat``                            one visitor message and its answer
``GET  /public/v1/{key}/chat/{session}/messages?after=N`` what was said since (staff replies)

CORS and rate limits work as for the enquiry endpoint: only the clinic's own
websites, per IP and per clinic.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from aescrm.accounts.middleware import client_ip
from aescrm.accounts.models import Clinic
from aescrm.assistant import chat
from aescrm.assistant.models import SessionMode
from aescrm.assistant.wording import possessive
from aescrm.core.problems import DomainError, NotFound, ValidationFailed
from aescrm.core.tenancy import clinic_scope
from aescrm.messaging import policy
from aescrm.notices.configuration import privacy_notice_url
from aescrm.public import cors, ratelimit
from aescrm.public.services import Visitor
from aescrm.public.views import OriginNotAllowed, check_rates, clinic_for_key

DISCLOSURE = (
    "You are chatting with {clinic} automated assistant, not a person. It answers from the"
    " clinic's own information and cannot give medical advice. What you type is kept by the"
    " clinic."
)
GREETING = "Hello! I can help with treatments, prices, opening hours and booking at {clinic}."
OPENING_REPLIES = ["Prices", "Book an appointment", "Opening hours", "Speak to a person"]
MAX_BODY = 20_000


def _problem(exc: DomainError) -> HttpResponse:
    from aescrm.core.problems import domain_error_response

    response = domain_error_response(exc)
    if "retry_after" in exc.extra:
        response["Retry-After"] = str(exc.extra["retry_after"])
    return response


def _public(methods: str) -> Callable[..., Callable[..., HttpResponse]]:
    """The shared frame of a public endpoint: clinic by key, CORS, preflight, problems."""

    def wrap(handler: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @csrf_exempt
        def view(request: HttpRequest, public_key: str, **kwargs: str) -> HttpResponse:
            try:
                clinic = clinic_for_key(public_key)
            except Http404:
                return _problem(NotFound("no clinic has this public key"))
            origin = cors.request_origin(request)
            allowed = origin is not None and cors.origin_allowed(clinic, origin)
            if request.method == "OPTIONS":
                if not (allowed and origin):
                    return HttpResponse(status=403)
                response = cors.preflight_response(origin)
                response["Access-Control-Allow-Methods"] = f"{methods}, OPTIONS"
                return response
            if request.method not in methods.split(", "):
                response = HttpResponse(status=405)
                response["Allow"] = f"{methods}, OPTIONS"
                return response
            try:
                if origin is not None and not allowed:
                    raise OriginNotAllowed(
                        "this website is not one of the clinic's domains", field="Origin"
                    )
                response = handler(request, clinic, **kwargs)
            except DomainError as exc:
                response = _problem(exc)
            response["Cache-Control"] = "no-store"
            if allowed and origin:
                cors.add_cors_headers(response, origin)
            return response

        return view

    return wrap


def _check_rates(request: HttpRequest, clinic: Clinic) -> None:
    # The chat's own buckets: a visitor types many short messages.
    check_rates(
        (
            (
                "chat-" + ratelimit.ip_bucket(client_ip(request)),
                settings.CHAT_RATE_PER_IP_PER_MINUTE,
                "you",
            ),
            (
                "chat-" + ratelimit.clinic_bucket(clinic.pk),
                settings.CHAT_RATE_PER_CLINIC_PER_MINUTE,
                "this clinic's visitors",
            ),
        ),
        "messages",
    )


def _json_body(request: HttpRequest) -> dict[str, object]:
    if len(request.body) > MAX_BODY:
        raise ValidationFailed(f"the request is larger than {MAX_BODY} bytes", field="message")
    try:
        data = json.loads(request.body or b"{}")
    except ValueError as exc:
        raise ValidationFailed("the body is not valid JSON", field="body") from exc
    if not isinstance(data, dict):
        raise ValidationFailed("the body must be a JSON object", field="body")
    return data


@_public("GET")
def assistant_config(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    with clinic_scope(clinic.pk):
        options = chat.settings_for_clinic()
    return JsonResponse(
        {
            "enabled": options.enabled,
            "clinic_name": clinic.name,
            "assistant_name": options.assistant_name,
            "colour": options.colour,
            "greeting": options.greeting or GREETING.format(clinic=clinic.name),
            "disclosure": DISCLOSURE.format(clinic=possessive(clinic.name)),
            # The clinic's own notice if it named one, else the one AES-CRM generates for it.
            "privacy_notice_url": privacy_notice_url(clinic, options.privacy_notice_url),
            "quick_replies": OPENING_REPLIES,
            "max_message_chars": chat.MAX_MESSAGE,
        }
    )


def paused_reply(clinic: Clinic) -> str:
    """What the chat says while the clinic's account is read-only: how to reach the clinic."""
    with clinic_scope(clinic.pk):
        options = chat.settings_for_clinic()
        phone = chat.facts_for(clinic, options).urgent_phone
    route = f"please call {phone}" if phone else "please use the enquiry form on this website"
    return f"Sorry, this chat is not answering at the moment. To contact {clinic.name}, {route}."


@_public("POST")
def chat_message(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    _check_rates(request, clinic)
    data = _json_body(request)
    session_id = data.get("session_id")
    if session_id is not None and not isinstance(session_id, str):
        raise ValidationFailed("session_id must be text", field="session_id")
    if not policy.account_allows_sending(clinic.pk):
        # A read-only account (decision 0032): a fixed answer, no engine, nothing kept.
        return JsonResponse(
            {
                "session_id": session_id or "",
                "reply": paused_reply(clinic),
                "quick_replies": [],
                "handoff": False,
                "seq": 0,
            }
        )
    answer = chat.chat_turn(
        clinic=clinic,
        session_id=session_id,
        message=data.get("message"),
        attribution=data.get("attribution"),
        visitor=Visitor(
            ip=client_ip(request),
            user_agent="".join(
                c for c in request.headers.get("User-Agent", "")[:300] if c.isprintable()
            ),
            request_id=getattr(request, "request_id", ""),
        ),
    )
    return JsonResponse(
        {
            "session_id": answer.session_id,
            "reply": answer.reply,
            "quick_replies": answer.quick_replies,
            "handoff": answer.handoff,
            "seq": answer.seq,
        }
    )


@_public("GET")
def chat_messages(request: HttpRequest, clinic: Clinic, session_id: str) -> HttpResponse:
    raw = request.GET.get("after", "0")
    if not raw.isdigit() or len(raw) > 9:
        raise ValidationFailed("after must be a whole number", field="after")
    session, messages = chat.messages_after(clinic=clinic, session_id=session_id, after=int(raw))
    return JsonResponse(
        {
            "messages": [
                {
                    "seq": m.seq,
                    "speaker": m.speaker,
                    "text": m.text,
                    "at": m.at.isoformat().replace("+00:00", "Z"),
                }
                for m in messages
            ],
            "handoff": session.handoff_requested or session.mode == SessionMode.STAFF,
            "mode": session.mode,
        }
    )
