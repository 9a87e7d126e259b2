"""Helpers for the staff chat tests: sessions and turns built straight with the ORM."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.utils import timezone

from aescrm.assistant.models import ChatSession, ChatTurn
from aescrm.core.tenancy import clinic_scope
from aescrm.testing.fixtures import ClinicWorld

PASSED_IN = [
    {"check": "emergency", "stage": "in", "decision": "pass", "detail": ""},
    {"check": "injection", "stage": "in", "decision": "pass", "detail": ""},
]


def visitor(body: str, **extra: Any) -> dict[str, Any]:
    return {"speaker": "visitor", "body": body, "guardrails": PASSED_IN, **extra}


def assistant(body: str, **extra: Any) -> dict[str, Any]:
    fields = {
        "intent": "prices",
        "engine": "embedded",
        "engine_version": "1.0",
        "latency_ms": 42,
        "guardrails": [{"check": "medical", "stage": "out", "decision": "pass", "detail": ""}],
    }
    return {"speaker": "assistant", "body": body, **fields, **extra}


def make_chat(
    world: ClinicWorld,
    turns: list[dict[str, Any]] | None = None,
    *,
    last_activity_at: dt.datetime | None = None,
    ttl: dt.timedelta = dt.timedelta(minutes=30),
    **fields: Any,
) -> ChatSession:
    """A session with ``turns`` (seq 1, 2, …), last active now unless told, live for ``ttl``."""
    turns = [visitor("Hello"), assistant("Hello! How can I help?")] if turns is None else turns
    at = last_activity_at or timezone.now()
    with clinic_scope(world.clinic.pk):
        session = ChatSession.objects.create(
            token_hash=secrets.token_hex(32),
            last_activity_at=at,
            expires_at=at + ttl,
            turn_count=len(turns),
            **fields,
        )
        for seq, turn in enumerate(turns, start=1):
            ChatTurn.objects.create(session=session, seq=seq, **turn)
    return session


def fresh(world: ClinicWorld, session: ChatSession) -> ChatSession:
    with clinic_scope(world.clinic.pk):
        return ChatSession.objects.select_related("taken_over_by").get(pk=session.pk)


def turns_of(world: ClinicWorld, session: ChatSession) -> list[tuple[int, str, str]]:
    with clinic_scope(world.clinic.pk):
        return [
            (t.seq, t.speaker, str(t.body))
            for t in ChatTurn.objects.filter(session_id=session.pk).order_by("seq")
        ]
