"""Reads for the inbox: conversations the caller may see, their threads, and cheap versions.

Every read that shows patient data is audited here. Polls compare a version
(a hash of ids and timestamps, no decryption) and render only when it changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Max, OuterRef, Q, QuerySet, Subquery

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Clinic
from aescrm.accounts.permissions import Perm
from aescrm.audit.services import audit_record
from aescrm.core.problems import NotFound
from aescrm.inbox.models import CannedChannel, CannedReply, ConversationNote
from aescrm.messaging.models import Channel, Conversation, Direction, Message
from aescrm.patients.models import Patient
from aescrm.patients.selectors import _visible_patients
from aescrm.templating.models import MessageTemplate
from aescrm.templating.rendering import render

PAGE_SIZE = 25
THREAD_LIMIT = 200
PREVIEW_CHARS = 90


@dataclass(frozen=True)
class InboxFilter:
    channel: str = ""
    assigned: str = ""  # "", "me", "none" or a colleague's user id
    unread: bool = False
    awaiting: bool = False


def _newest(field: str) -> Subquery:
    return Subquery(
        Message.objects.filter(conversation=OuterRef("pk"))
        .order_by("-created_at", "-id")
        .values(field)[:1]
    )


def visible_conversations(caller: Caller) -> QuerySet[Conversation]:
    """Conversations of patients the caller may see; ``last_direction`` says who spoke last."""
    caller.require(Perm.MESSAGE_VIEW)
    conversations = Conversation.objects.all()
    if caller.sees_only_own_patients:
        conversations = conversations.filter(patient__in=_visible_patients(caller))
    return conversations.annotate(last_direction=_newest("direction"))


def _awaiting() -> Q:
    return Q(last_direction=Direction.INBOUND)


def filtered(caller: Caller, chosen: InboxFilter) -> QuerySet[Conversation]:
    conversations = visible_conversations(caller)
    if chosen.channel:
        conversations = conversations.filter(channel=chosen.channel)
    if chosen.assigned == "me":
        conversations = conversations.filter(assigned_to_id=caller.user_id)
    elif chosen.assigned == "none":
        conversations = conversations.filter(assigned_to__isnull=True)
    elif chosen.assigned:
        try:
            conversations = conversations.filter(assigned_to_id=uuid.UUID(chosen.assigned))
        except ValueError:
            conversations = conversations.none()
    if chosen.unread:
        conversations = conversations.filter(unread_count__gt=0)
    if chosen.awaiting:
        conversations = conversations.filter(_awaiting())
    return conversations.order_by(F("last_message_at").desc(nulls_last=True), "-created_at", "-id")


def counts(caller: Caller) -> dict[str, int]:
    """How many conversations each quick filter would show (one query)."""
    per_channel = {c: Count("pk", filter=Q(channel=c)) for c in Channel.values}
    result: dict[str, int] = visible_conversations(caller).aggregate(
        all=Count("pk"),
        unread=Count("pk", filter=Q(unread_count__gt=0)),
        awaiting=Count("pk", filter=_awaiting()),
        mine=Count("pk", filter=Q(assigned_to_id=caller.user_id)),
        unassigned=Count("pk", filter=Q(assigned_to__isnull=True)),
        **per_channel,
    )
    return result


def _digest(*parts: Any) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:20]


def _page(caller: Caller, chosen: InboxFilter, number: Any) -> Page[Conversation]:
    return Paginator(filtered(caller, chosen), PAGE_SIZE).get_page(number)


def inbox_version(caller: Caller, chosen: InboxFilter, number: Any) -> str:
    """What the list would show, as a short hash: ids, times, counts (nothing decrypted)."""
    page = _page(caller, chosen, number)
    rows = list(
        page.object_list.values_list(  # type: ignore[attr-defined]
            "pk", "last_message_at", "unread_count", "assigned_to_id", "last_direction"
        )
    )
    return _digest(rows, page.number, page.paginator.count, sorted(counts(caller).items()))


@dataclass
class InboxRow:
    conversation: Conversation
    awaiting: bool
    last_message: Message | None
    preview: str | None  # None when the caller may not see bodies
    blocked: Any = None  # why the patient cannot be messaged on this channel (set by the view)


@dataclass
class InboxPage:
    rows: list[InboxRow]
    page: Page[Conversation]
    counts: dict[str, int]
    version: str


def inbox_page(caller: Caller, chosen: InboxFilter, number: Any) -> InboxPage:
    page = _page(caller, chosen, number)
    conversations = list(
        page.object_list.select_related("patient", "assigned_to").annotate(  # type: ignore[attr-defined]
            last_message_id=_newest("id")
        )
    )
    last = Message.objects.in_bulk([c.last_message_id for c in conversations if c.last_message_id])
    bodies = caller.can(Perm.MESSAGE_BODY_VIEW)
    rows = []
    for conversation in conversations:
        message = last.get(conversation.last_message_id)
        preview = None
        if bodies and message is not None:
            text = " ".join(str(message.body or "").split())
            preview = text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1] + "…"
        rows.append(
            InboxRow(
                conversation=conversation,
                awaiting=conversation.last_direction == Direction.INBOUND,
                last_message=message,
                preview=preview,
            )
        )
    audit_record(
        "conversation.list",
        object_type="conversation",
        detail={"shown": [str(c.pk) for c in conversations], "bodies": bodies},
    )
    version = inbox_version(caller, chosen, page.number)
    return InboxPage(rows=rows, page=page, counts=counts(caller), version=version)


def conversation_get(*, caller: Caller, conversation_id: Any) -> Conversation:
    """The conversation if the caller may see its patient; NotFound otherwise (other clinics)."""
    try:
        pk = uuid.UUID(str(conversation_id))
    except ValueError as exc:
        raise NotFound("no such conversation") from exc
    conversation = (
        visible_conversations(caller).select_related("patient", "assigned_to").filter(pk=pk).first()
    )
    if conversation is None:
        raise NotFound("no such conversation")
    return conversation


def patient_conversations(conversation: Conversation) -> list[Conversation]:
    """The patient's conversations on every channel (for the channel switcher)."""
    return list(Conversation.objects.filter(patient_id=conversation.patient_id).order_by("channel"))


@dataclass
class ThreadItem:
    kind: str  # "message" or "note"
    at: dt.datetime
    obj: Any


def thread_version(conversation: Conversation) -> str:
    messages = Message.objects.filter(conversation=conversation).aggregate(
        n=Count("pk"), at=Max("updated_at")
    )
    notes = ConversationNote.objects.filter(conversation=conversation).aggregate(
        n=Count("pk"), at=Max("created_at")
    )
    return _digest(messages["n"], messages["at"], notes["n"], notes["at"])


def thread(*, caller: Caller, conversation: Conversation) -> list[ThreadItem]:
    """Messages (newest ``THREAD_LIMIT``) and internal notes, oldest first; the read is audited."""
    caller.require(Perm.MESSAGE_VIEW)
    bodies = caller.can(Perm.MESSAGE_BODY_VIEW)
    recent = Message.objects.filter(conversation=conversation).select_related("sent_by")
    messages = list(recent.order_by("-created_at", "-id")[:THREAD_LIMIT])
    items = [ThreadItem("message", m.created_at, m) for m in messages]
    notes: list[ConversationNote] = []
    if bodies:
        since = messages[-1].created_at if len(messages) == THREAD_LIMIT else None
        found = ConversationNote.objects.filter(conversation=conversation).select_related("author")
        notes = list(found.filter(created_at__gte=since) if since else found)
        items += [ThreadItem("note", n.created_at, n) for n in notes]
    items.sort(key=lambda item: item.at)
    audit_record(
        "conversation.read",
        object_type="conversation",
        object_id=conversation.pk,
        detail={
            "patient": str(conversation.patient_id),
            "messages": len(messages),
            "notes": len(notes),
            "bodies": bodies,
        },
    )
    return items


def canned_list(*, caller: Caller) -> QuerySet[CannedReply]:
    caller.require_any(Perm.MESSAGE_SEND, Perm.MESSAGE_TEMPLATE_EDIT)
    return CannedReply.objects.all()


def canned_get(*, caller: Caller, reply_id: Any) -> CannedReply:
    caller.require_any(Perm.MESSAGE_SEND, Perm.MESSAGE_TEMPLATE_EDIT)
    try:
        pk = uuid.UUID(str(reply_id))
    except ValueError as exc:
        raise NotFound("no such canned reply") from exc
    reply = CannedReply.objects.filter(pk=pk).first()
    if reply is None:
        raise NotFound("no such canned reply")
    return reply


@dataclass
class CannedOption:
    reply: CannedReply
    text: str  # merge fields filled in for this patient


def canned_options(*, caller: Caller, patient: Patient, clinic: Clinic) -> list[CannedOption]:
    """The clinic's canned replies, ready to insert for this patient."""
    options = []
    for reply in canned_list(caller=caller):
        channel = "email" if reply.channel == CannedChannel.EMAIL else "sms"
        wording = MessageTemplate(channel=channel, kind="service", body_text=reply.body)
        options.append(CannedOption(reply, render(wording, clinic=clinic, patient=patient).text))
    return options
