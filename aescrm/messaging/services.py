"""Writing messages: queue an outbound SMS or email (outbox row in the caller's transaction)."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Clinic
from aescrm.accounts.permissions import Perm
from aescrm.audit.services import audit_record
from aescrm.billing import limits
from aescrm.core.problems import ValidationFailed
from aescrm.core.tenancy import current_clinic_id
from aescrm.messaging import policy
from aescrm.messaging import settings_fields as check
from aescrm.messaging.models import (
    Channel,
    Conversation,
    Direction,
    Message,
    MessagingSettings,
    Status,
)
from aescrm.messaging.segments import sms_segments
from aescrm.patients.models import Patient

logger = logging.getLogger(__name__)

BODY_MAX = 1600  # Twilio's limit for one message body
EMAIL_BODY_MAX = 20000


def settings_of_clinic() -> MessagingSettings | None:
    return MessagingSettings.objects.first()


def conversation_for(patient: Patient, channel: str) -> Conversation:
    try:
        with transaction.atomic():
            conversation, _ = Conversation.objects.get_or_create(patient=patient, channel=channel)
    except IntegrityError:
        conversation = Conversation.objects.get(patient=patient, channel=channel)
    return conversation


def _clean_body(body: str, limit: int = BODY_MAX) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationFailed("a message needs some text", field="body")
    if len(body) > limit:
        raise ValidationFailed(f"a message may be at most {limit} characters", field="body")
    return body


class _SendClinicMessages:
    """An on-commit callback that knows its clinic, so a transaction queues it once."""

    def __init__(self, clinic_id: uuid.UUID) -> None:
        self.clinic_id = clinic_id

    def __call__(self) -> None:
        from aescrm.messaging.tasks import send_clinic_messages

        send_clinic_messages(str(self.clinic_id))


# Inside ``wakes_collected()``: the clinics that queued messages, instead of a wake each.
_collected_wakes: ContextVar[set[uuid.UUID] | None] = ContextVar("messaging_wakes", default=None)


@contextmanager
def wakes_collected() -> Iterator[set[uuid.UUID]]:
    """Queuing a message in the block notes its clinic rather than waking the worker after
    each transaction; the caller then sends once (a batch of a hundred reminders, each
    committed with its own step, needs one send, not a hundred wake-ups)."""
    collected: set[uuid.UUID] = set()
    token = _collected_wakes.set(collected)
    try:
        yield collected
    finally:
        _collected_wakes.reset(token)


def _enqueue_on_commit(clinic_id: uuid.UUID) -> None:
    """Wake the worker for this clinic when the transaction commits (once, however many
    messages it queued: a bulk send of a hundred needs one task, not a hundred)."""
    collected = _collected_wakes.get()
    if collected is not None:
        collected.add(clinic_id)
        return
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        isinstance(entry[1], _SendClinicMessages) and entry[1].clinic_id == clinic_id
        for entry in connection.run_on_commit
    ):
        return
    transaction.on_commit(_SendClinicMessages(clinic_id))


def message_queue(
    *,
    caller: Caller,
    patient: Patient,
    body: str,
    kind: str,
    channel: str = Channel.SMS,
    urgent: bool = False,
    now: dt.datetime | None = None,
    subject: str | None = None,
    html: str | None = None,
) -> Message:
    """Queue an outbound message; refused (422 with a reason) if policy says no.

    Email only: ``subject`` (default "Re: <their last subject>" in a conversation
    that has one, else "Message from <clinic>") and ``html``, an already-escaped
    fragment such as a rendered message template (default: the body as paragraphs).
    """
    caller.require(Perm.MESSAGE_SEND)
    now = now or timezone.now()
    email = channel == Channel.EMAIL
    body = _clean_body(body, EMAIL_BODY_MAX if email else BODY_MAX)
    policy.check(patient, channel=channel, kind=kind)
    row = settings_of_clinic()
    clinic = Clinic.objects.get(pk=current_clinic_id())
    held = channel in policy.QUIET_HOURS_CHANNELS and not urgent
    due = policy.window_opens(now, row, clinic.tz) if held else now
    # Past the plan's limit the message is queued but held (not dropped) until the
    # period resets or the plan changes, with the reason naming the limit (0033).
    limit = limits.message_gate(clinic.pk, channel, now=now)
    if not limit.allowed and limit.resets_at is not None:
        due = max(due, limit.resets_at)
        logger.warning("message for clinic %s held: %s", clinic.pk, limit.reason)
    if email:
        from aescrm.mail import composing

        mail_row = composing.mail_settings()
        to_address, from_address = patient.email, mail_row.sender_email if mail_row else ""
        parts, cost = None, 0
    else:
        to_address, from_address = patient.phone, row.sending_number if row else ""
        parts = sms_segments(body)
        cost = parts.parts * settings.SMS_SEGMENT_COST_PENCE
    with transaction.atomic():
        conversation = conversation_for(patient, channel)
        message = Message.objects.create(
            conversation=conversation,
            patient=patient,
            channel=channel,
            direction=Direction.OUTBOUND,
            kind=kind,
            body=body,
            to_address=to_address,
            from_address=from_address,
            status=Status.QUEUED,
            segments=parts.parts if parts else 0,
            encoding=parts.encoding if parts else "",
            cost_pence=cost,
            send_after=due if due > now else None,
            next_attempt_at=due,
            sent_by_id=caller.user_id,
            urgent=urgent,
            error_code="" if limit.allowed else limits.HELD_CODE,
            error_reason="" if limit.allowed else limit.reason[:500],
        )
        if email:
            composing.prepare(message, clinic=clinic, subject=subject, html=html)
        Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now)
        audit_record(
            "message.queue",
            object_type="message",
            object_id=message.pk,
            detail={
                "patient": str(patient.pk),
                "channel": channel,
                "kind": kind,
                "segments": parts.parts if parts else 0,
                "held_for_quiet_hours": due > now and limit.allowed,
                "held_for_usage_limit": not limit.allowed,
            },
        )
        _enqueue_on_commit(clinic.pk)
    return message


def provider_id_stored(provider: str, provider_id: str) -> bool:
    """Is a message with this provider id stored (a webhook's replay check)?"""
    # The unique index on (provider, provider_id) is partial (ids not empty): SQLite
    # uses it only when the query repeats its condition, else it reads every message.
    return (
        Message.objects.filter(provider=provider, provider_id=provider_id)
        .exclude(provider_id="")
        .exists()
    )


def record_inbound(
    *,
    patient: Patient,
    body: str,
    from_address: str,
    to_address: str,
    provider: str,
    provider_id: str,
    now: dt.datetime | None = None,
) -> Message | None:
    """Store one inbound SMS; None when this provider id was stored before (a replay)."""
    now = now or timezone.now()
    if provider_id and provider_id_stored(provider, provider_id):
        return None
    try:
        with transaction.atomic():
            conversation = conversation_for(patient, Channel.SMS)
            parts = sms_segments(body)
            message = Message.objects.create(
                conversation=conversation,
                patient=patient,
                channel=Channel.SMS,
                direction=Direction.INBOUND,
                body=body,
                from_address=from_address,
                to_address=to_address,
                status=Status.RECEIVED,
                provider=provider,
                provider_id=provider_id,
                segments=parts.parts,
                encoding=parts.encoding,
            )
            Conversation.objects.filter(pk=conversation.pk).update(
                last_message_at=now, unread_count=F("unread_count") + 1
            )
            audit_record(
                "message.receive",
                object_type="message",
                object_id=message.pk,
                detail={"patient": str(patient.pk), "channel": Channel.SMS, "provider": provider},
            )
            from aescrm.automation.inbound import received

            received(message, now=now)
    except IntegrityError:
        return None  # the same provider id arrived twice at once
    return message


def settings_set(
    *,
    caller: Caller,
    account_sid: str,
    auth_token: str | None,
    sending_number: str = "",
    messaging_service_sid: str = "",
    quiet_start: dt.time | None = None,
    quiet_end: dt.time | None = None,
    help_contact: str = "",
    forwarding_number: str | None = None,
    ring_seconds: int | None = None,
    missed_call_text_enabled: bool | None = None,
    missed_call_text: str | None = None,
) -> MessagingSettings:
    """Create or update the clinic's Twilio settings.

    The auth token is kept when None; so are the call settings (forwarding
    number, ring time, missed-call text) when None (docs/decisions/0017).
    """
    caller.require(Perm.MESSAGING_SETTINGS_MANAGE)
    account_sid = check.account_sid(account_sid)
    sending_number = check.phone(sending_number, field="sending_number")
    messaging_service_sid = check.messaging_service_sid(messaging_service_sid)
    if forwarding_number is not None:
        forwarding_number = check.phone(forwarding_number, field="forwarding_number")
    if ring_seconds is not None:
        ring_seconds = check.ring_seconds(ring_seconds)
    if missed_call_text is not None:
        missed_call_text = check.missed_call_text(missed_call_text)
    with transaction.atomic():
        row = settings_of_clinic() or MessagingSettings()
        row.twilio_account_sid = account_sid
        if auth_token is not None:
            row.twilio_auth_token = auth_token.strip()
        row.sending_number = sending_number
        row.messaging_service_sid = messaging_service_sid
        row.quiet_start = quiet_start or policy.DEFAULT_QUIET_START
        row.quiet_end = quiet_end or policy.DEFAULT_QUIET_END
        row.help_contact = help_contact.strip()[:300]
        calls = {
            "forwarding_number": forwarding_number,
            "ring_seconds": ring_seconds,
            "missed_call_text_enabled": missed_call_text_enabled,
            "missed_call_text": missed_call_text,
        }
        for name, value in calls.items():
            if value is not None:
                setattr(row, name, value)
        if row.forwarding_number and row.forwarding_number == row.sending_number:
            raise ValidationFailed(
                "calls cannot be forwarded to the Twilio number itself: "
                "enter the clinic's own phone",
                field="forwarding_number",
            )
        if sending_number:
            from aescrm.core.tenancy import unscoped

            clinic_id = current_clinic_id()
            with unscoped("messaging settings: is the sending number another clinic's?"):
                taken = (
                    MessagingSettings.objects.filter(sending_number=sending_number)
                    .exclude(clinic_id=clinic_id)
                    .exists()
                )
            if taken:
                raise ValidationFailed(
                    "this number is already used by another clinic", field="sending_number"
                )
        row.save()
        audit_record(
            "messaging.settings",
            object_type="messaging_settings",
            object_id=row.pk,
            detail={
                "fields": ["twilio_account_sid", "sending_number", "quiet_hours"]
                + (["twilio_auth_token"] if auth_token is not None else [])
                + sorted(name for name, value in calls.items() if value is not None)
            },
        )
    return row


def inbound_simulate(*, caller: Caller, message: Message, body: str) -> Message | None:
    """Console mode: a staff member plays the patient replying to ``message``."""
    import uuid as _uuid

    from aescrm.messaging.webhooks import handle_keyword

    caller.require(Perm.MESSAGE_SEND)
    if message.channel == Channel.EMAIL:
        from aescrm.mail.inbound import simulate_reply

        return simulate_reply(caller=caller, message=message, body=body)
    body = _clean_body(body)
    patient = message.patient
    with transaction.atomic():
        reply = record_inbound(
            patient=patient,
            body=body,
            from_address=str(patient.phone or ""),
            to_address=str(message.from_address or ""),
            provider="console",
            provider_id=f"console-in-{_uuid.uuid4().hex}",
        )
        if reply is not None:
            handle_keyword(patient, body)
    return reply


def release_held(clinic_id: uuid.UUID, *, now: dt.datetime | None = None) -> int:
    """Bring forward the clinic's messages held by a plan limit (its plan changed, or the
    owner allowed overage); the worker checks the limit again before each. How many."""
    from aescrm.core.tenancy import clinic_scope

    now = now or timezone.now()
    with clinic_scope(clinic_id), transaction.atomic():
        released = Message.objects.filter(
            direction=Direction.OUTBOUND, status=Status.QUEUED, error_code=limits.HELD_CODE
        ).update(next_attempt_at=now, send_after=None, updated_at=now)
        if released:
            _enqueue_on_commit(clinic_id)
    return released
