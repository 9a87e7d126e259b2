"""One chat turn, end to end: session, inbound guardrails, engine, outbound guardrails, record.

The guardrails sit here, outside the engines, so both engines pass through
the same checks on the way in and on the way out, and every decision is
stored with the turn (docs/decisions/0021-website-assistant.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings as django_settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Clinic
from aescrm.accounts.permissions import Perm
from aescrm.analytics.services import record as record_usage
from aescrm.assistant import guardrails
from aescrm.assistant.engines.base import EngineReply, TurnInput
from aescrm.assistant.engines.select import engine_for
from aescrm.assistant.models import (
    AssistantSettings,
    ChatSession,
    ChatTurn,
    SessionMode,
    Speaker,
)
from aescrm.assistant.tools import DbTools, notify_staff
from aescrm.attribution.touch import parse_touch
from aescrm.audit.context import Actor, acting_as
from aescrm.audit.services import audit_record
from aescrm.billing import limits, usage
from aescrm.billing.models import Metric
from aescrm.core.problems import NotFound, ValidationFailed
from aescrm.core.tenancy import clinic_scope, current_clinic_id
from aescrm.patients.normalise import format_phone_national
from aescrm.public.services import Visitor

logger = logging.getLogger(__name__)

MAX_MESSAGE = 1000
HISTORY_TURNS = 10
STAFF_WAITING = ""
AFTER_EMERGENCY = (
    "The clinic team has been alerted and will contact you. If your symptoms get worse, call"
    " 999 or NHS 111 now{extra}."
)  # no bot reply while staff answer: theirs arrive by polling


@dataclass(frozen=True)
class ChatAnswer:
    session_id: str
    reply: str
    quick_replies: list[str]
    handoff: bool
    seq: int


@dataclass
class Preview:
    reply: str
    quick_replies: list[str]
    intent: str
    engine: str
    knowledge: list[dict[str, str]]
    guardrails: list[dict[str, str]]
    handoff: bool
    state: dict[str, Any]
    latency_ms: int


@dataclass
class _Outcome:
    text: str
    intent: str
    quick_replies: list[str] = field(default_factory=list)
    engine: str = "guardrails"
    model: str = ""
    version: str = ""
    knowledge: list[dict[str, str]] = field(default_factory=list)
    decisions: list[dict[str, str]] = field(default_factory=list)
    handoff: bool = False
    notes: dict[str, Any] = field(default_factory=dict)


def _urgent(facts: guardrails.ClinicFacts) -> str:
    return f", or the clinic's urgent line on {facts.urgent_phone}" if facts.urgent_phone else ""


def over_limit_reply(facts: guardrails.ClinicFacts) -> str:
    """The fixed answer of a chat opened past the plan's conversation limit: no engine,
    and the visitor told how to reach the clinic (0033)."""
    phone = facts.urgent_phone or _national(_sending_number())
    call = f" You can also call {facts.clinic_name} on {phone}." if phone else ""
    return (
        f"Thank you for your message. Our online assistant is not available just now, so "
        f"the team at {facts.clinic_name} will read what you wrote and reply here.{call}"
    )


def _sending_number() -> str:
    from aescrm.messaging.services import settings_of_clinic

    row = settings_of_clinic()
    return row.sending_number if row is not None else ""


def settings_for_clinic() -> AssistantSettings:
    found = AssistantSettings.objects.first()
    return found if found is not None else AssistantSettings.objects.create()


def clean_message(message: Any) -> str:
    if not isinstance(message, str):
        raise ValidationFailed("message must be text", field="message")
    message = message.strip()
    if not message:
        raise ValidationFailed("message is empty", field="message")
    if "\x00" in message:
        raise ValidationFailed("message contains a NUL character", field="message")
    if len(message) > MAX_MESSAGE:
        raise ValidationFailed(
            f"message is longer than {MAX_MESSAGE} characters ({len(message)})", field="message"
        )
    return message


def clean_attribution(attribution: Any) -> dict[str, Any]:
    """The widget's touches, checked as the enquiry form's are (errors name the field)."""
    if attribution is None:
        return {}
    if not isinstance(attribution, Mapping):
        raise ValidationFailed("attribution must be an object", field="attribution")
    kept: dict[str, Any] = {}
    for name in ("first_touch", "last_touch"):
        raw = attribution.get(name)
        if raw is None:
            continue
        parse_touch(raw, prefix=f"attribution.{name}")  # raises naming the bad field
        kept[name] = dict(raw)
    return kept


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def assistant_actor(clinic: Clinic, visitor: Visitor) -> Actor:
    return Actor(
        type="public",
        id=clinic.public_key,
        label="website assistant",
        ip=visitor.ip,
        user_agent=visitor.user_agent[:300],
        request_id=visitor.request_id,
    )


def facts_for(clinic: Clinic, settings: AssistantSettings) -> guardrails.ClinicFacts:
    return guardrails.ClinicFacts(
        clinic_name=clinic.name, urgent_phone=_national(settings.urgent_phone)
    )


def _national(phone: str) -> str:
    """+441632960101 as 01632 960101: how a UK visitor dials it."""
    return format_phone_national(phone) if phone.startswith("+") else phone


def session_for_token(token: str, now: dt.datetime) -> ChatSession | None:
    """The live session this token opens, or None (unknown, or ended)."""
    if not token or not isinstance(token, str) or len(token) > 100:
        return None
    session = ChatSession.objects.filter(token_hash=token_hash(token)).first()
    if session is None or session.expires_at <= now:
        return None
    return session


def _lifetime() -> dt.timedelta:
    return dt.timedelta(minutes=django_settings.CHAT_SESSION_MINUTES)


def _open(
    token: str | None, attribution: dict[str, Any], now: dt.datetime
) -> tuple[str, ChatSession]:
    session = session_for_token(token or "", now)
    if session is not None and token:
        return token, session
    token = secrets.token_urlsafe(24)
    # A new conversation counts towards the plan; past its limit the chat opens without
    # the assistant (and uncounted): a fixed answer, the team takes it (0033).
    gate = limits.chat_gate(current_clinic_id(), now=now)
    session = ChatSession.objects.create(
        token_hash=token_hash(token),
        state=json.dumps({}),
        attribution=json.dumps(attribution) if attribution else None,
        last_activity_at=now,
        expires_at=now + _lifetime(),
        over_usage_limit=not gate.allowed,
    )
    if gate.allowed:
        usage.increment(session.clinic_id, Metric.CHAT_CONVERSATIONS, now=now)
    else:
        logger.warning("chat %s without the assistant: %s", session.pk, gate.reason)
    audit_record(
        "chat.start",
        object_type="chat",
        object_id=session.pk,
        detail={"over_usage_limit": True} if not gate.allowed else None,
    )
    record_usage("chat_started", session.clinic_id)
    return token, session


def _append(session: ChatSession, speaker: str, body: str, **fields: Any) -> ChatTurn:
    """The next turn of the session; the row lock keeps ``seq`` unique under concurrency."""
    locked = ChatSession.objects.select_for_update(of=("self",)).get(pk=session.pk)
    seq = locked.turn_count + 1
    ChatSession.objects.filter(pk=session.pk).update(turn_count=seq)
    session.turn_count = seq
    return ChatTurn.objects.create(session=session, seq=seq, speaker=speaker, body=body, **fields)


def _history(session: ChatSession) -> list[tuple[str, str]]:
    recent = list(ChatTurn.objects.filter(session=session).order_by("-seq")[:HISTORY_TURNS])
    return [(t.speaker, t.body or "") for t in reversed(recent)]


def _json_object(text: str | None) -> dict[str, Any]:
    """A stored JSON object (the session's state or touches); {} for none or a bad one."""
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _knowledge(reply: EngineReply) -> list[dict[str, str]]:
    seen: dict[str, str] = {}
    for doc in reply.knowledge:
        seen.setdefault(doc.id, doc.title)
    return [{"id": k, "title": v} for k, v in seen.items()]


def _respond(
    message: str,
    *,
    facts: guardrails.ClinicFacts,
    settings: AssistantSettings,
    tools: DbTools,
    state: dict[str, Any],
    history: list[tuple[str, str]],
    now: dt.datetime,
    inbound: guardrails.Inbound,
    emergency: bool = False,
    over_limit: bool = False,
) -> _Outcome:
    """What the assistant says to ``message`` once the inbound checks have run."""
    if inbound.under_18:
        state["under_18"] = True
    if emergency and not inbound.outcome:
        # After an emergency the assistant does not go back to selling: the team has it.
        state["goal"] = ""
        state["asking"] = ""
        return _Outcome(
            text=AFTER_EMERGENCY.format(extra=_urgent(facts)),
            intent="emergency",
            handoff=True,
        )
    if inbound.outcome:
        if inbound.alert_staff or inbound.handoff:
            tools.hand_over(f"{inbound.outcome}: the assistant stopped and alerted the team")
        return _Outcome(
            text=inbound.reply,
            intent=inbound.outcome if inbound.outcome != "injection" else "out_of_scope",
            quick_replies=list(inbound.quick_replies),
            handoff=inbound.handoff,
        )
    if over_limit:
        if tools.session is None or not tools.session.handoff_requested:
            tools.hand_over("the assistant's conversation limit for this period is reached")
        return _Outcome(
            text=over_limit_reply(facts),
            intent="usage_limit",
            engine="usage_limit",
            handoff=True,
        )
    engine = engine_for(settings)
    reply = engine.reply(TurnInput(message=message, state=state, history=history, now=now), tools)
    grounding = "\n".join(doc.answer for doc in reply.knowledge)
    allowed = set(reply.allowed_prices) | {
        d.price_pence for d in reply.knowledge if d.price_pence is not None
    }
    out = guardrails.check_outbound(
        reply.text,
        facts=facts,
        allowed_prices=allowed,
        grounding_text=grounding,
        visitor_text=message,
    )
    blocked = any(d.decision == "block" for d in out.decisions)
    return _Outcome(
        text=out.text,
        intent=reply.intent,
        quick_replies=[] if blocked else list(reply.quick_replies),
        engine=reply.engine,
        model=reply.model,
        version=reply.version,
        knowledge=_knowledge(reply),
        decisions=[d.as_dict() for d in out.decisions],
        handoff=reply.handoff or bool(tools.handed_over),
        notes=_json_safe(reply.notes),
    )


def chat_turn(
    *,
    clinic: Clinic,
    session_id: str | None,
    message: Any,
    attribution: Any,
    visitor: Visitor,
    now: dt.datetime | None = None,
) -> ChatAnswer:
    """Take one visitor message for ``clinic`` and answer it (or leave it for staff)."""
    message = clean_message(message)
    touches = clean_attribution(attribution)
    now = now or timezone.now()
    with clinic_scope(clinic.pk), acting_as(assistant_actor(clinic, visitor)):
        settings = settings_for_clinic()
        if not settings.enabled:
            raise NotFound("this clinic's website assistant is switched off")
        facts = facts_for(clinic, settings)
        inbound = guardrails.check_inbound(message, facts=facts, now=now)
        with transaction.atomic():
            token, session = _open(session_id, touches, now)
            if touches and not session.attribution:
                session.attribution = json.dumps(touches)
                session.save(update_fields=["attribution"])
            _append(
                session,
                Speaker.VISITOR,
                message,
                guardrails=[d.as_dict() for d in inbound.decisions],
            )
            staff_answering = session.mode == SessionMode.STAFF
            if staff_answering:
                ChatSession.objects.filter(pk=session.pk).update(
                    unread_count=F("unread_count") + 1,
                    last_activity_at=now,
                    expires_at=now + _lifetime(),
                )
        if staff_answering and inbound.outcome != "emergency":
            return ChatAnswer(token, STAFF_WAITING, [], True, session.turn_count)
        # The engine runs outside any transaction: a language model may take seconds,
        # and the tools commit their own work (enquiry, booking) as they go.
        started = time.perf_counter()
        state = _json_object(session.state)
        tools = DbTools(
            clinic, settings, session, attribution=_json_object(session.attribution), now=now
        )
        outcome = _respond(
            message,
            facts=facts,
            settings=settings,
            tools=tools,
            state=state,
            history=_history(session),
            now=now,
            inbound=inbound,
            emergency=session.emergency,
            over_limit=session.over_usage_limit,
        )
        latency = int((time.perf_counter() - started) * 1000)
        with transaction.atomic():
            turn = _append(
                session,
                Speaker.ASSISTANT,
                outcome.text,
                intent=outcome.intent[:30],
                engine=outcome.engine[:20],
                model=outcome.model[:100],
                engine_version=outcome.version[:20],
                knowledge=outcome.knowledge,
                guardrails=outcome.decisions,
                quick_replies=outcome.quick_replies,
                latency_ms=latency,
                notes=outcome.notes,
            )
            # Encrypted columns are written through the model (the row id binds the ciphertext).
            session.state = json.dumps(state)
            session.save(update_fields=["state"])
            changes: dict[str, Any] = {
                "last_activity_at": now,
                "expires_at": now + _lifetime(),
            }
            if inbound.outcome == "emergency":
                changes["emergency"] = True
                notify_staff(
                    session,
                    "Website chat: a visitor described symptoms that may need urgent care. "
                    "They were told to call 999 or NHS 111; please check on them now.",
                )
            if outcome.handoff:
                changes["unread_count"] = F("unread_count") + 1
            ChatSession.objects.filter(pk=session.pk).update(**changes)
            audit_record(
                "chat.turn",
                object_type="chat",
                object_id=session.pk,
                detail={"seq": turn.seq, "intent": turn.intent, "engine": turn.engine},
            )
    return ChatAnswer(token, outcome.text, outcome.quick_replies, outcome.handoff, turn.seq)


def _json_safe(notes: dict[str, Any]) -> dict[str, Any]:
    """Engine notes as stored: JSON values only (anything else as its text)."""
    return dict(json.loads(json.dumps(notes, default=str)))


@dataclass(frozen=True)
class PolledMessage:
    seq: int
    speaker: str
    text: str
    at: dt.datetime


def messages_after(
    *, clinic: Clinic, session_id: str, after: int, now: dt.datetime | None = None
) -> tuple[ChatSession, list[PolledMessage]]:
    """What was said in the visitor's session after ``after`` (staff replies arrive this way)."""
    now = now or timezone.now()
    with clinic_scope(clinic.pk):
        session = session_for_token(session_id, now)
        if session is None:
            raise NotFound("this chat has ended or does not exist", field="session_id")
        turns = ChatTurn.objects.filter(session=session, seq__gt=after).order_by("seq")[:100]
        return session, [PolledMessage(t.seq, t.speaker, t.body or "", t.created_at) for t in turns]


def preview_turn(
    *, caller: Caller, state: dict[str, Any], history: list[tuple[str, str]], message: Any
) -> Preview:
    """The "test the assistant" panel: the same pipeline, nothing stored or booked."""
    caller.require(Perm.ASSISTANT_VIEW)
    message = clean_message(message)
    now = timezone.now()
    clinic = Clinic.objects.get(pk=caller.clinic_id)
    with clinic_scope(clinic.pk):
        settings = settings_for_clinic()
        facts = facts_for(clinic, settings)
        started = time.perf_counter()
        inbound = guardrails.check_inbound(message, facts=facts, now=now)
        tools = DbTools(clinic, settings, None, now=now, dry_run=True)
        outcome = _respond(
            message,
            facts=facts,
            settings=settings,
            tools=tools,
            state=state,
            history=history[-HISTORY_TURNS:],
            now=now,
            inbound=inbound,
        )
        audit_record(
            "assistant.preview", object_type="assistant", detail={"intent": outcome.intent}
        )
    return Preview(
        reply=outcome.text,
        quick_replies=outcome.quick_replies,
        intent=outcome.intent,
        engine=outcome.engine,
        knowledge=outcome.knowledge,
        guardrails=[d.as_dict() for d in inbound.decisions] + outcome.decisions,
        handoff=outcome.handoff,
        state=state,
        latency_ms=int((time.perf_counter() - started) * 1000),
    )
