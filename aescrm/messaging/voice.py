"""Twilio voice webhooks: forward the call, record how it ended, text back when missed.

- ``POST /webhooks/twilio/voice`` (the number's "A call comes in"): TwiML that
  rings the clinic's forwarding number for its ring time, never recording;
  without a forwarding number, a short message and a missed call.
- ``POST /webhooks/twilio/voice/outcome`` (the <Dial> action): DialCallStatus
  and DialCallDuration say whether the clinic answered.
- ``POST /webhooks/twilio/voice/status`` (the number's "Call status changes"):
  the call's final CallStatus, in case the action never came (caller hung up).

Every request is checked first, as in ``webhooks``: signed with the auth token
of the clinic that owns the called number (To) for the public URL, else 403
and nothing stored. A replayed CallSid changes nothing. docs/decisions/0017.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.twiml.voice_response import VoiceResponse

from aescrm.accounts.models import Clinic
from aescrm.audit.context import acting_as
from aescrm.core.tenancy import clinic_scope
from aescrm.messaging import calls
from aescrm.messaging.models import Call, CallOutcome, MessagingSettings
from aescrm.messaging.webhooks import (
    ACTOR,
    forbidden,
    settings_for_number,
    signed,
    twiml,
    webhook_caller,
)
from aescrm.patients.normalise import clean_phone

logger = logging.getLogger(__name__)

# Amazon Polly's British English voice, with the language as a fallback for Twilio's own.
VOICE = {"voice": "Polly.Amy", "language": "en-GB"}


def _xml(response: VoiceResponse) -> HttpResponse:
    return HttpResponse(str(response), content_type="text/xml")


def outcome_url() -> str:
    return f"{settings.PUBLIC_BASE_URL}{reverse('messaging:twilio_voice_outcome')}"


def forward_twiml(row: MessagingSettings) -> VoiceResponse:
    """Ring the clinic's phone; the caller hears ringing until it answers (answerOnBridge)."""
    response = VoiceResponse()
    dial = response.dial(
        action=outcome_url(),
        method="POST",
        timeout=row.ring_seconds,
        answer_on_bridge=True,
        record="do-not-record",
    )
    dial.number(row.forwarding_number)
    return response


def sorry_twiml(clinic: Clinic, call: Call | None) -> VoiceResponse:
    """Nobody could answer: say so (and that a text is coming, if one is), then hang up."""
    text = f"Thank you for calling {clinic.name}. Sorry, nobody can take your call just now."
    if call is not None and call.text_back_id:
        text += " We'll send you a text message in a moment."
    else:
        text += " Please try again later."
    response = VoiceResponse()
    response.say(text, **VOICE)
    response.hangup()
    return response


def _caller_number(request: HttpRequest) -> str:
    """The caller's number in E.164, or "" when withheld or not a phone number."""
    try:
        return clean_phone(request.POST.get("From", ""))
    except ValueError:
        return ""


def _signed_settings(request: HttpRequest) -> MessagingSettings | None:
    row = settings_for_number(request.POST.get("To", ""))
    return row if signed(request, row) else None


@csrf_exempt
@require_POST
def incoming(request: HttpRequest) -> HttpResponse:
    row = _signed_settings(request)
    if row is None:
        return forbidden()
    sid = request.POST.get("CallSid", "")
    phone = _caller_number(request)
    with clinic_scope(row.clinic_id), acting_as(ACTOR):
        clinic = Clinic.objects.get(pk=row.clinic_id)
        call = None
        if sid and phone:
            caller = webhook_caller(row.clinic_id)
            with transaction.atomic():
                call = calls.call_begin(caller=caller, row=row, call_sid=sid, phone=phone)
                if not row.forwarding_number:
                    ending = calls.Ending(CallOutcome.MISSED, calls.NO_FORWARDING, 0)
                    calls.call_end(caller=caller, call=call, ending=ending, row=row)
        else:
            # A withheld number: forwarded all the same, but there is no one to file it under.
            logger.info("call %s from a withheld number is not recorded", sid or "(no sid)")
        if not row.forwarding_number:
            return _xml(sorry_twiml(clinic, call))
    return _xml(forward_twiml(row))


@csrf_exempt
@require_POST
def outcome(request: HttpRequest) -> HttpResponse:
    row = _signed_settings(request)
    if row is None:
        return forbidden()
    ending = calls.ending_of_dial(
        request.POST.get("DialCallStatus", ""),
        _seconds(request.POST.get("DialCallDuration")),
        request.POST.get("CallStatus", ""),
    )
    with clinic_scope(row.clinic_id), acting_as(ACTOR):
        clinic = Clinic.objects.get(pk=row.clinic_id)
        call = calls.call_get(request.POST.get("CallSid", ""))
        if call is not None:
            calls.call_end(caller=webhook_caller(row.clinic_id), call=call, ending=ending, row=row)
        answered = (call.outcome if call else ending.outcome) == CallOutcome.ANSWERED
        if answered:
            response = VoiceResponse()
            response.hangup()
            return _xml(response)
        return _xml(sorry_twiml(clinic, call))


@csrf_exempt
@require_POST
def status(request: HttpRequest) -> HttpResponse:
    row = _signed_settings(request)
    if row is None:
        return forbidden()
    ending = calls.ending_of_status(
        request.POST.get("CallStatus", ""), _seconds(request.POST.get("CallDuration"))
    )
    if ending is None:
        return twiml()
    with clinic_scope(row.clinic_id), acting_as(ACTOR):
        call = calls.call_get(request.POST.get("CallSid", ""))
        if call is not None:
            calls.call_end(caller=webhook_caller(row.clinic_id), call=call, ending=ending, row=row)
    return twiml()


def _seconds(value: str | None) -> int:
    try:
        return max(int(value or 0), 0)
    except ValueError:
        return 0
