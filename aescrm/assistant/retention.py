"""How long chats are kept, and what of them a subject-access export holds.

A chat that captured someone belongs to their patient record and is kept and
erased with it (the foreign key cascades). A chat that never captured anyone
is anonymous — but its text may still hold personal details the visitor typed
— so it is deleted ``CHAT_ANONYMOUS_RETENTION_DAYS`` after it ended.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from aescrm.assistant.models import ChatSession, ChatTurn
from aescrm.audit.services import audit_record
from aescrm.patients.models import Patient


def purge_anonymous_chats(now: dt.datetime | None = None) -> int:
    """Delete the active clinic's anonymous chats past their retention; how many went."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.CHAT_ANONYMOUS_RETENTION_DAYS)
    with transaction.atomic():
        expired = ChatSession.objects.filter(patient__isnull=True, last_activity_at__lt=cutoff)
        count = expired.count()
        if count:
            expired.delete()
            audit_record(
                "chat.retention.delete",
                object_type="chat",
                detail={"sessions": count, "before": cutoff.isoformat()},
            )
    return count


def chats_for_export(patient: Patient) -> list[dict[str, Any]]:
    """The patient's chats as the subject-access export lists them: every turn, with the
    engine and the guardrail decisions (the logic of the automated answers)."""
    sessions = ChatSession.objects.filter(patient=patient).order_by("started_at")
    turns: dict[Any, list[ChatTurn]] = {}
    for turn in ChatTurn.objects.filter(session__in=sessions).order_by("session", "seq"):
        turns.setdefault(turn.session_id, []).append(turn)
    return [
        {
            "chat_id": str(session.pk),
            "started_at": session.started_at.isoformat(),
            "last_message_at": session.last_activity_at.isoformat(),
            "handed_to_staff": session.handoff_requested,
            "emergency": session.emergency,
            "turns": [
                {
                    "seq": t.seq,
                    "speaker": t.speaker,
                    "text": t.body or "",
                    "at": t.created_at.isoformat(),
                    "intent": t.intent,
                    "engine": t.engine,
                    "model": t.model,
                    "engine_version": t.engine_version,
                    "knowledge_used": [k.get("title", "") for k in t.knowledge],
                    "guardrails": t.guardrails,
                }
                for t in turns.get(session.pk, [])
            ],
        }
        for session in sessions
    ]
