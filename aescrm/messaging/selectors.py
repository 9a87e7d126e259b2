"""Reading messages: scoped to the active clinic, bodies only for those who may see them."""

from __future__ import annotations

from typing import Any

from aescrm.accounts.caller import Caller
from aescrm.accounts.permissions import Perm
from aescrm.audit.services import audit_record
from aescrm.core.problems import NotFound
from aescrm.messaging.models import Message
from aescrm.patients.selectors import patient_get


def message_get(*, caller: Caller, message_id: Any) -> Message:
    caller.require(Perm.MESSAGE_VIEW)
    import uuid

    try:
        pk = uuid.UUID(str(message_id))
    except ValueError as exc:
        raise NotFound("no such message") from exc
    message = Message.objects.filter(pk=pk).first()
    if message is None:
        raise NotFound("no such message")
    # The caller must be able to see the patient too (clinicians: their own).
    patient_get(caller=caller, patient_id=message.patient_id, audit=False)
    audit_record(
        "message.read",
        object_type="message",
        object_id=message.pk,
        detail={"body": caller.can(Perm.MESSAGE_BODY_VIEW)},
    )
    return message


def _subject(message: Message) -> str | None:
    if message.channel != "email":
        return None
    from aescrm.mail.models import EmailDetail

    detail = EmailDetail.objects.filter(message=message).first()
    return str(detail.subject or "") if detail is not None else None


def message_out(message: Message, *, bodies: bool) -> dict[str, object]:
    return {
        "id": message.pk,
        "patient": message.patient_id,
        "conversation": message.conversation_id,
        "channel": message.channel,
        "direction": message.direction,
        "kind": message.kind,
        "status": message.status,
        "body": str(message.body or "") if bodies else None,
        "subject": _subject(message) if bodies else None,
        "segments": message.segments,
        "encoding": message.encoding,
        "cost_pence": message.cost_pence,
        "send_after": message.send_after,
        "sent_at": message.sent_at,
        "delivered_at": message.delivered_at,
        "error_code": message.error_code,
        "error_reason": message.error_reason,
        "created_at": message.created_at,
    }
