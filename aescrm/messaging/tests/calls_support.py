"""Signed Twilio voice webhooks as Twilio sends them: the call, the <Dial> outcome, the status."""

from __future__ import annotations

import itertools
from typing import Any

from aescrm.core.tenancy import clinic_scope
from aescrm.messaging import worker
from aescrm.messaging.models import Call, Message
from aescrm.messaging.tests.conftest import signed_post
from aescrm.testing.fakes import twilio as fake_twilio
from aescrm.testing.fixtures import ClinicWorld

FORWARD_TO = "+441632960001"  # the clinic's landline (Ofcom drama range)
_SIDS = itertools.count(1)


def new_sid() -> str:
    return f"CA{next(_SIDS):032x}"


def _call_params(sid: str, sender: str, to: str, status: str) -> dict[str, str]:
    return {
        "CallSid": sid,
        "AccountSid": fake_twilio.ACCOUNT_SID,
        "From": sender,
        "To": to,
        "Caller": sender,
        "Called": to,
        "CallStatus": status,
        "Direction": "inbound",
        "ApiVersion": "2010-04-01",
    }


def ring(sid: str, *, sender: str, to: str = fake_twilio.NUMBER, **kw: Any) -> Any:
    """Twilio asking what to do with a new call (the number's voice URL)."""
    return signed_post("/webhooks/twilio/voice", _call_params(sid, sender, to, "ringing"), **kw)


def dial_outcome(
    sid: str,
    *,
    sender: str,
    dial_status: str,
    duration: int = 0,
    call_status: str = "in-progress",
    to: str = fake_twilio.NUMBER,
    **kw: Any,
) -> Any:
    """Twilio's request to the <Dial> action URL when the forwarded leg ends."""
    params = _call_params(sid, sender, to, call_status)
    params |= {"DialCallStatus": dial_status, "DialCallSid": "CA" + "f" * 32}
    if dial_status in ("completed", "answered"):
        params["DialCallDuration"] = str(duration)
    return signed_post("/webhooks/twilio/voice/outcome", params, **kw)


def call_status(
    sid: str,
    *,
    sender: str,
    status: str,
    duration: int = 0,
    to: str = fake_twilio.NUMBER,
    **kw: Any,
) -> Any:
    """The number's "call status changes" callback when the call is over."""
    params = _call_params(sid, sender, to, status)
    params |= {"CallDuration": str(duration), "CallbackSource": "call-progress-events"}
    return signed_post("/webhooks/twilio/voice/status", params, **kw)


def calls_of(world: ClinicWorld) -> list[Call]:
    with clinic_scope(world.clinic.pk):
        return list(
            Call.objects.select_related("message__conversation", "patient").order_by("started_at")
        )


def messages_of(world: ClinicWorld) -> list[Message]:
    with clinic_scope(world.clinic.pk):
        return list(Message.objects.order_by("created_at"))


def run_worker(world: ClinicWorld) -> int:
    with clinic_scope(world.clinic.pk):
        return worker.process_clinic()
