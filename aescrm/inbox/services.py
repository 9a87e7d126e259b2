"""Writes from the inbox: read/unread, assignment, internal notes, replies and canned replies.

Each checks the caller's permission and is audited with ids and field names,
never the text. Replies go through ``aescrm.messaging.services.message_queue``,
so the sending policy and quiet hours are the outbox's, for every channel.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from aescrm.accounts.caller import Caller
from aescrm.accounts.permissions import Perm
from aescrm.analytics.services import record as record_usage
from aescrm.audit.services import audit_record
from aescrm.core.problems import Conflict, ValidationFailed
from aescrm.inbox import staff
from aescrm.inbox.models import CannedChannel, CannedReply, ConversationNote
from aescrm.messaging import services as messaging
from aescrm.messaging.models import Channel, Conversation, Direction, Kind, Message, Status
from aescrm.templating.rendering import PATIENT_FIELDS, fields_in

NOTE_MAX = 5000
REPLY_CHANNELS = (Channel.SMS, Channel.EMAIL)


def _lock(conversation: Conversation) -> Conversation:
    """The row locked for this transaction: an inbound message waits, so no count is lost."""
    return Conversation.objects.select_for_update().get(pk=conversation.pk)


def _unread_inbound(conversation: Conversation) -> Any:
    return Message.objects.filter(
        conversation=conversation, direction=Direction.INBOUND, read_at__isnull=True
    )


def mark_read(*, caller: Caller, conversation: Conversation, now: dt.datetime | None = None) -> int:
    """The conversation's inbound messages are read (by someone who can see them)."""
    caller.require(Perm.MESSAGE_BODY_VIEW)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(conversation)
        marked = _unread_inbound(locked).update(read_at=now, status=Status.READ, updated_at=now)
        if marked or locked.unread_count:
            Conversation.objects.filter(pk=locked.pk).update(unread_count=0)
        if marked:
            audit_record(
                "conversation.mark_read",
                object_type="conversation",
                object_id=locked.pk,
                detail={"messages": marked},
            )
    conversation.unread_count = 0
    return int(marked)


def mark_unread(*, caller: Caller, conversation: Conversation) -> None:
    """Back on the unread list: the newest inbound message is unread again."""
    caller.require(Perm.MESSAGE_BODY_VIEW)
    with transaction.atomic():
        locked = _lock(conversation)
        newest = (
            Message.objects.filter(conversation=locked, direction=Direction.INBOUND)
            .order_by("-created_at", "-id")
            .first()
        )
        if newest is not None:
            Message.objects.filter(pk=newest.pk).update(
                read_at=None, status=Status.RECEIVED, updated_at=timezone.now()
            )
        unread = max(_unread_inbound(locked).count(), 1)
        Conversation.objects.filter(pk=locked.pk).update(unread_count=unread)
        audit_record(
            "conversation.mark_unread",
            object_type="conversation",
            object_id=locked.pk,
            detail={"message": str(newest.pk) if newest else None},
        )
    conversation.unread_count = unread


def assign(*, caller: Caller, conversation: Conversation, user_id: Any) -> bool:
    """Give the conversation to a colleague (``None`` or "" unassigns). True if it changed."""
    caller.require(Perm.MESSAGE_SEND)
    user = staff.assignee(caller.clinic_id, user_id) if user_id not in (None, "") else None
    with transaction.atomic():
        locked = _lock(conversation)
        new_id = user.pk if user else None
        if locked.assigned_to_id == new_id:
            return False
        Conversation.objects.filter(pk=locked.pk).update(assigned_to_id=new_id)
        audit_record(
            "conversation.assign",
            object_type="conversation",
            object_id=locked.pk,
            detail={
                "assigned_to": str(new_id) if new_id else None,
                "previous": str(locked.assigned_to_id) if locked.assigned_to_id else None,
            },
        )
    conversation.assigned_to = user
    return True


def note_add(*, caller: Caller, conversation: Conversation, body: str) -> ConversationNote:
    """An internal note: stored encrypted, shown to colleagues, never sent."""
    caller.require(Perm.MESSAGE_SEND)
    caller.require(Perm.MESSAGE_BODY_VIEW)
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise ValidationFailed("write the note before saving it", field="body")
    if len(body) > NOTE_MAX:
        raise ValidationFailed(f"a note may be at most {NOTE_MAX} characters", field="body")
    with transaction.atomic():
        note = ConversationNote.objects.create(
            conversation=conversation, body=body, author_id=caller.user_id
        )
        audit_record(
            "conversation.note",
            object_type="conversation",
            object_id=conversation.pk,
            detail={"note": str(note.pk), "fields": ["body"]},
        )
    return note


def reply_send(*, caller: Caller, conversation: Conversation, channel: str, body: str) -> Message:
    """Queue a service reply to the conversation's patient by SMS or email."""
    if channel not in REPLY_CHANNELS:
        raise ValidationFailed("choose SMS or email", field="channel")
    body = (body or "").replace("\r\n", "\n")
    message = messaging.message_queue(
        caller=caller,
        patient=conversation.patient,
        body=body,
        kind=Kind.SERVICE,
        channel=channel,
    )
    record_usage("inbox_reply", caller.clinic_id, caller.user_id)
    return message


# ---------------------------------------------------------------------------
# Canned replies
# ---------------------------------------------------------------------------

CANNED_TITLE_MAX = 120
CANNED_BODY_MAX = messaging.BODY_MAX


def _canned_clean(title: str, body: str, channel: str) -> tuple[str, str, str]:
    title = (title or "").strip()
    body = (body or "").replace("\r\n", "\n").strip()
    if not title:
        raise ValidationFailed("give the reply a title", field="title")
    if len(title) > CANNED_TITLE_MAX:
        raise ValidationFailed(f"a title has at most {CANNED_TITLE_MAX} characters", field="title")
    if channel not in CannedChannel.values:
        raise ValidationFailed("choose SMS, email, or both", field="channel")
    if not body:
        raise ValidationFailed("write the reply", field="body")
    if len(body) > CANNED_BODY_MAX:
        raise ValidationFailed(f"a reply has at most {CANNED_BODY_MAX} characters", field="body")
    unknown = fields_in(body, field="body") - PATIENT_FIELDS
    if unknown:
        raise ValidationFailed(
            "a canned reply can fill in only {{ first_name }} and {{ clinic_name }}", field="body"
        )
    return title, body, channel


def _canned_save(reply: CannedReply) -> None:
    try:
        with transaction.atomic():
            reply.save()
    except IntegrityError as exc:
        raise Conflict("there is already a canned reply with this title", field="title") from exc


def canned_create(*, caller: Caller, title: str, body: str, channel: str) -> CannedReply:
    caller.require(Perm.MESSAGE_TEMPLATE_EDIT)
    title, body, channel = _canned_clean(title, body, channel)
    reply = CannedReply(title=title, body=body, channel=channel)
    _canned_save(reply)
    audit_record("canned_reply.create", object_type="canned_reply", object_id=reply.pk)
    return reply


def canned_update(
    *, caller: Caller, reply: CannedReply, title: str, body: str, channel: str
) -> CannedReply:
    caller.require(Perm.MESSAGE_TEMPLATE_EDIT)
    title, body, channel = _canned_clean(title, body, channel)
    changed = [
        name
        for name, value in (("title", title), ("body", body), ("channel", channel))
        if getattr(reply, name) != value
    ]
    if changed:
        reply.title, reply.body, reply.channel = title, body, channel
        _canned_save(reply)
        audit_record(
            "canned_reply.update",
            object_type="canned_reply",
            object_id=reply.pk,
            detail={"fields": changed},
        )
    return reply


def canned_delete(*, caller: Caller, reply: CannedReply) -> None:
    caller.require(Perm.MESSAGE_TEMPLATE_EDIT)
    pk: uuid.UUID = reply.pk
    reply.delete()
    audit_record("canned_reply.delete", object_type="canned_reply", object_id=pk)
