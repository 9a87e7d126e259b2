"""Recording inbound calls: one Call (and its timeline Message) per CallSid, ended once.

A call starts when Twilio asks what to do with it (``call_begin``) and ends
when the forwarded leg's outcome arrives (the <Dial> action) or the call's
final status does, whichever comes first (``call_end``); the other then finds
it ended and changes nothing. A missed call may queue the text-back in the
same transaction (``aescrm.messaging.textback``). docs/decisions/0017.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Clinic
from aescrm.accounts.permissions import Perm
from aescrm.audit.services import audit_record
from aescrm.messaging import leads, services, textback
from aescrm.messaging.models import (
    Call,
    CallOutcome,
    Channel,
    Conversation,
    Direction,
    Kind,
    Message,
    MessagingSettings,
    Status,
)
from aescrm.patients.models import EnquiryChannel

PROVIDER = "twilio"
RINGING_BODY = "Incoming call"
ENQUIRY = "Phoned the clinic"

# Twilio's DialCallStatus: "completed" (or "answered") means the clinic's phone took it.
ANSWERED_STATUSES = {"completed", "answered"}
# CallStatus values that mean the call is over.
FINAL_CALL_STATUSES = {"completed", "busy", "no-answer", "failed", "canceled"}
NO_FORWARDING = "no-forwarding"
CALLER_HUNG_UP = "caller-hung-up"


@dataclass(frozen=True)
class Ending:
    outcome: str
    twilio_status: str
    duration_seconds: int


def call_get(call_sid: str) -> Call | None:
    if not call_sid:
        return None
    return (
        Call.objects.select_related("message", "patient")
        .filter(message__provider=PROVIDER, message__provider_id=call_sid)
        .first()
    )


def call_begin(
    *,
    caller: Caller,
    row: MessagingSettings,
    call_sid: str,
    phone: str,
    now: dt.datetime | None = None,
) -> Call:
    """Record an incoming call from ``phone`` (E.164); a replayed CallSid returns the stored one.

    An unknown number becomes a lead with a phone enquiry, so that every call
    is on a patient's timeline.
    """
    caller.require(Perm.MESSAGE_SEND)
    now = now or timezone.now()
    existing = call_get(call_sid)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            patient = leads.patient_for_phone(
                caller, phone, channel=EnquiryChannel.PHONE, enquiry=ENQUIRY
            )
            conversation = services.conversation_for(patient, Channel.CALL)
            message = Message.objects.create(
                conversation=conversation,
                patient=patient,
                channel=Channel.CALL,
                direction=Direction.INBOUND,
                kind=Kind.SERVICE,
                body=RINGING_BODY,
                from_address=phone,
                to_address=row.sending_number,
                status=Status.RECEIVED,
                provider=PROVIDER,
                provider_id=call_sid,
            )
            Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now)
            call = Call.objects.create(
                message=message, patient=patient, ring_seconds=row.ring_seconds, started_at=now
            )
            audit_record(
                "call.receive",
                object_type="call",
                object_id=call.pk,
                detail={"patient": str(patient.pk), "message": str(message.pk)},
            )
    except IntegrityError:
        # The same CallSid arrived twice at once: the other request stored it.
        stored = call_get(call_sid)
        if stored is None:
            raise
        return stored
    return call


def _duration(seconds: int) -> str:
    minutes, rest = divmod(max(seconds, 0), 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def summary(call: Call, ending: Ending) -> str:
    """What the timeline says about the call, e.g. "Missed call (no answer after 25 s)"."""
    if ending.outcome == CallOutcome.ANSWERED:
        return f"Answered call, {_duration(ending.duration_seconds)}"
    why = {
        "no-answer": f"no answer after {call.ring_seconds} s",
        "busy": "the clinic's line was busy",
        "failed": "the forwarding number could not be reached",
        "canceled": "the call was cancelled",
        NO_FORWARDING: "no forwarding number is set",
        CALLER_HUNG_UP: "the caller hung up before it was answered",
    }.get(ending.twilio_status, ending.twilio_status or "not answered")
    return f"Missed call ({why})"


def ending_of_dial(dial_status: str, dial_duration: int, call_status: str) -> Ending:
    """How a call ended, from the <Dial> action's DialCallStatus and the call's CallStatus."""
    if dial_status in ANSWERED_STATUSES:
        return Ending(CallOutcome.ANSWERED, dial_status, dial_duration)
    if dial_status in ("no-answer", "canceled") and call_status == "completed":
        # The caller's own leg is over: they gave up before the clinic answered.
        return Ending(CallOutcome.MISSED, CALLER_HUNG_UP, 0)
    return Ending(CallOutcome.MISSED, dial_status or "no-answer", 0)


def ending_of_status(call_status: str, call_duration: int) -> Ending | None:
    """How a call ended, from its final status callback; None while it is still going.

    The <Dial> uses answerOnBridge, so the caller's leg is answered (and has a
    duration) only once the clinic's phone picks up: a final status with no
    duration is a call nobody answered.
    """
    if call_status not in FINAL_CALL_STATUSES:
        return None
    if call_status == "completed" and call_duration > 0:
        return Ending(CallOutcome.ANSWERED, call_status, call_duration)
    return Ending(
        CallOutcome.MISSED, CALLER_HUNG_UP if call_status == "completed" else call_status, 0
    )


def call_end(
    *,
    caller: Caller,
    call: Call,
    ending: Ending,
    row: MessagingSettings,
    now: dt.datetime | None = None,
) -> bool:
    """Record how the call ended, once; a missed call may queue the text-back.

    False when the call had ended already (a replay or the later of the two
    callbacks): nothing changes.
    """
    caller.require(Perm.MESSAGE_SEND)
    now = now or timezone.now()
    with transaction.atomic():
        locked = Call.objects.select_for_update().select_related("patient").get(pk=call.pk)
        if locked.ended_at is not None:
            return False
        message = Message.objects.get(pk=locked.message_id)
        locked.outcome = ending.outcome
        locked.twilio_status = ending.twilio_status[:16]
        locked.duration_seconds = ending.duration_seconds
        locked.ended_at = now
        message.body = summary(locked, ending)
        message.save(update_fields=["body", "updated_at"])
        not_sent = None
        if ending.outcome == CallOutcome.MISSED:
            Conversation.objects.filter(pk=message.conversation_id).update(
                unread_count=F("unread_count") + 1
            )
            clinic = Clinic.objects.get(pk=locked.clinic_id)
            locked.text_back, not_sent = textback.queue(
                caller=caller, call=locked, row=row, clinic=clinic, now=now
            )
        locked.save()
        audit_record(
            "call.end",
            object_type="call",
            object_id=locked.pk,
            detail={
                "patient": str(locked.patient_id),
                "outcome": locked.outcome,
                "twilio_status": locked.twilio_status,
                "duration_seconds": locked.duration_seconds,
                "text_back": str(locked.text_back_id) if locked.text_back_id else None,
                "text_back_not_sent": not_sent,
            },
        )
    call.refresh_from_db()
    return True
