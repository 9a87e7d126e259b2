"""Website chats for staff: the list, a transcript, taking over, replying and handing back.

Staff replies are ordinary ``ChatTurn`` rows (speaker ``staff``), so the
visitor's widget picks them up through the public ``…/messages?after=N``
poll. Turn numbers are given out under a lock on the session row, so two
colleagues replying at once get consecutive numbers (the unique constraint
on ``(session, seq)`` is the backstop).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Clinic
from aescrm.accounts.permissions import Perm
from aescrm.assistant.models import ChatSession, ChatTurn, SessionMode, Speaker
from aescrm.audit.services import audit_record
from aescrm.core.problems import NotFound, ValidationFailed
from aescrm.patients.models import Patient
from aescrm.patients.selectors import _visible_patients

RECENT_DAYS = 30
REPLY_MAX = 1000

# Waiting for a person: an emergency nobody has picked up yet, or a request for a person
# while the assistant is still answering. Taking over clears it; handing back clears the
# request but not the emergency, which no longer floats up once someone has taken it over.
NEEDS_ATTENTION = Q(mode=SessionMode.BOT) & (
    Q(handoff_requested=True) | Q(emergency=True, taken_over_by__isnull=True)
)


def _readable(caller: Caller) -> QuerySet[ChatSession]:
    """Every session the caller may read (its own clinic's, by the active scope)."""
    caller.require(Perm.CHAT_VIEW)
    sessions = ChatSession.objects.all()
    if caller.sees_only_own_patients:
        # Clinicians: only chats already linked to a patient they treat.
        sessions = sessions.filter(patient__in=_visible_patients(caller))
    return sessions


def _visible(caller: Caller) -> QuerySet[ChatSession]:
    """What the list shows: sessions of the last 30 days with at least one turn."""
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    return (
        _readable(caller)
        .filter(last_activity_at__gte=since)
        .filter(Exists(ChatTurn.objects.filter(session=OuterRef("pk"))))
    )


def _listed(caller: Caller, *, needs_attention_first: bool) -> QuerySet[ChatSession]:
    sessions = _visible(caller).annotate(
        attention=Case(
            When(NEEDS_ATTENTION & Q(emergency=True), then=Value(2)),
            When(NEEDS_ATTENTION, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
        messages=Count("turns"),
    )
    order = ["-last_activity_at", "-id"]
    if needs_attention_first:
        order.insert(0, "-attention")
    return sessions.order_by(*order)


def chat_list(caller: Caller, *, needs_attention_first: bool = True) -> list[ChatSession]:
    """Recent chats: those waiting for a person first (emergencies first), then newest."""
    sessions = list(
        _listed(caller, needs_attention_first=needs_attention_first).select_related(
            "patient", "taken_over_by"
        )
    )
    audit_record(
        "chat.list",
        object_type="chat_session",
        detail={"shown": [str(s.pk) for s in sessions]},
    )
    return sessions


def attention_count(caller: Caller) -> int:
    """How many chats wait for a person (the inbox tab's badge); nothing decrypted."""
    return _visible(caller).filter(NEEDS_ATTENTION).count()


def _digest(*parts: Any) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:20]


def list_version(caller: Caller) -> str:
    """What the list shows, as a short hash of ids, times and flags (nothing decrypted)."""
    rows = list(
        _listed(caller, needs_attention_first=True).values_list(
            "pk",
            "last_activity_at",
            "mode",
            "handoff_requested",
            "emergency",
            "unread_count",
            "turn_count",
            "patient_id",
            "appointment_id",
            "expires_at",
        )
    )
    return _digest(rows)


def chat_get(caller: Caller, session_id: Any) -> ChatSession:
    """The session if the caller may read it; NotFound otherwise (other clinics, bad ids)."""
    try:
        pk = uuid.UUID(str(session_id))
    except ValueError as exc:
        raise NotFound("no such chat") from exc
    session = (
        _readable(caller)
        .select_related("patient", "taken_over_by", "appointment__treatment", "enquiry__treatment")
        .filter(pk=pk)
        .first()
    )
    if session is None:
        raise NotFound("no such chat")
    return session


def transcript_version(session: ChatSession) -> str:
    """The transcript and the session's flags, as a short hash (nothing decrypted)."""
    turns = ChatTurn.objects.filter(session_id=session.pk).aggregate(n=Count("pk"), seq=Max("seq"))
    fresh = (
        ChatSession.objects.filter(pk=session.pk)
        .values_list(
            "mode",
            "handoff_requested",
            "emergency",
            "taken_over_by_id",
            "patient_id",
            "appointment_id",
            "expires_at",
        )
        .first()
    )
    return _digest(turns["n"], turns["seq"], fresh)


def transcript(caller: Caller, session: ChatSession) -> list[ChatTurn]:
    """Every turn, oldest first; marks the chat read. The read is audited with counts."""
    caller.require(Perm.CHAT_VIEW)
    with transaction.atomic():
        # Locked first so a visitor's turn arriving meanwhile waits and its unread +1 is kept.
        locked = ChatSession.objects.select_for_update().get(pk=session.pk)
        turns = list(
            ChatTurn.objects.filter(session_id=session.pk).select_related("author").order_by("seq")
        )
        if locked.unread_count:
            ChatSession.objects.filter(pk=session.pk).update(unread_count=0)
    session.unread_count = 0
    audit_record(
        "chat.read",
        object_type="chat_session",
        object_id=session.pk,
        detail={
            "patient": str(session.patient_id) if session.patient_id else None,
            "turns": len(turns),
            "by_speaker": {
                speaker: sum(1 for t in turns if t.speaker == speaker) for speaker in Speaker.values
            },
        },
    )
    return turns


def _lock(session: ChatSession) -> ChatSession:
    return ChatSession.objects.select_for_update().get(pk=session.pk)


def _copy(locked: ChatSession, session: ChatSession) -> None:
    for name in ("mode", "handoff_requested", "taken_over_by_id", "turn_count", "last_activity_at"):
        setattr(session, name, getattr(locked, name))


def has_ended(session: ChatSession, now: dt.datetime | None = None) -> bool:
    return session.expires_at <= (now or timezone.now())


def _refuse_if_ended(session: ChatSession, now: dt.datetime) -> None:
    if has_ended(session, now):
        tz = Clinic.objects.get(pk=session.clinic_id).tz
        ended = timezone.localtime(session.expires_at, tz)
        raise ValidationFailed(
            f"this chat ended at {ended:%H:%M}; the visitor is no longer on the page",
            field="body",
        )


def _take(caller: Caller, locked: ChatSession) -> None:
    locked.mode = SessionMode.STAFF
    locked.taken_over_by_id = caller.user_id
    locked.save(update_fields=["mode", "taken_over_by"])
    audit_record("chat.take_over", object_type="chat_session", object_id=locked.pk)


def take_over(caller: Caller, session: ChatSession) -> ChatSession:
    """Staff answer from now on; the assistant stays quiet until handed back."""
    caller.require(Perm.CHAT_REPLY)
    with transaction.atomic():
        locked = _lock(session)
        _refuse_if_ended(locked, timezone.now())
        _take(caller, locked)
    _copy(locked, session)
    return session


def hand_back(caller: Caller, session: ChatSession) -> ChatSession:
    """The assistant answers again; the request for a person is dealt with."""
    caller.require(Perm.CHAT_REPLY)
    with transaction.atomic():
        locked = _lock(session)
        locked.mode = SessionMode.BOT
        locked.handoff_requested = False
        locked.save(update_fields=["mode", "handoff_requested"])
        audit_record("chat.hand_back", object_type="chat_session", object_id=locked.pk)
    _copy(locked, session)
    return session


def _clean(text: str) -> str:
    body = (text or "").strip()
    if not body:
        raise ValidationFailed("type a reply before sending it", field="body")
    if len(body) > REPLY_MAX:
        raise ValidationFailed(
            f"the reply is {len(body)} characters; the most a chat message may have is {REPLY_MAX}",
            field="body",
        )
    if "\x00" in body:
        raise ValidationFailed("the reply contains a character that cannot be sent", field="body")
    return body


def staff_reply(caller: Caller, session: ChatSession, text: str) -> ChatTurn:
    """Append a staff turn the visitor will see; takes the chat over if the assistant had it."""
    caller.require(Perm.CHAT_REPLY)
    body = _clean(text)
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(session)
        _refuse_if_ended(locked, now)
        if locked.mode != SessionMode.STAFF:
            _take(caller, locked)
        # turn_count is the last seq given out; Max(seq) guards against a writer that
        # stored a turn without counting it.
        last = ChatTurn.objects.filter(session_id=locked.pk).aggregate(m=Max("seq"))["m"] or 0
        seq = max(locked.turn_count, last) + 1
        turn = ChatTurn.objects.create(
            session=locked, seq=seq, speaker=Speaker.STAFF, body=body, author_id=caller.user_id
        )
        locked.turn_count = seq
        locked.last_activity_at = now
        # The conversation is alive while staff answer: it ends a full period after them.
        locked.expires_at = now + dt.timedelta(minutes=settings.CHAT_SESSION_MINUTES)
        locked.save(update_fields=["turn_count", "last_activity_at", "expires_at"])
        audit_record(
            "chat.reply",
            object_type="chat_session",
            object_id=locked.pk,
            detail={"turn": str(turn.pk), "seq": seq},
        )
    _copy(locked, session)
    return turn


def patient_chats(caller: Caller, patient: Patient) -> list[ChatSession]:
    """The patient's website chats for their timeline (no bodies are read here)."""
    if not caller.can(Perm.CHAT_VIEW):
        return []
    sessions: list[ChatSession] = list(
        ChatSession.objects.filter(patient=patient)
        .select_related("appointment__treatment", "enquiry__treatment")
        .annotate(messages=Count("turns"))
        .filter(messages__gt=0)
        .order_by("-started_at")[:100]
    )
    for session in sessions:
        setattr(session, "summary", chat_summary(session))  # noqa: B010 (not a model field)
    return sessions


def chat_summary(session: ChatSession) -> str:
    """ "Website chat — 12 messages, booked Lip filler": counts and outcomes, no words said."""
    count = getattr(session, "messages", None)
    if count is None:
        count = session.turn_count
    parts = [f"{count} message{'' if count == 1 else 's'}"]
    if session.appointment_id and session.appointment is not None:
        parts.append(f"booked {session.appointment.treatment.name}")
    elif session.enquiry_id:
        parts.append("enquiry sent")
    if session.emergency:
        parts.append("emergency")
    if session.handoff_requested:
        parts.append("asked for a person")
    return "Website chat — " + ", ".join(parts)
