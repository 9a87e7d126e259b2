"""The missed-call text-back: one SMS to a caller nobody answered (docs/decisions/0017).

Queued as a service SMS in the transaction that records the missed call, not
held for quiet hours (it answers a call the patient made seconds ago, like an
answer to HELP), so the worker sends it within a minute. Not sent when the
clinic has it off, when this caller was texted back in the last
``REPEAT_WINDOW`` (three rings, one text), or when the patient's last keyword
to the clinic's number was STOP.
"""

from __future__ import annotations

import datetime as dt
import logging

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Clinic
from aescrm.core.problems import DomainError
from aescrm.messaging import services, settings_fields
from aescrm.messaging.models import (
    Call,
    Channel,
    Direction,
    Kind,
    Message,
    MessagingSettings,
)
from aescrm.messaging.webhooks import START_WORDS, STOP_WORDS
from aescrm.patients.models import Patient

logger = logging.getLogger(__name__)

REPEAT_WINDOW = dt.timedelta(minutes=10)
# How far back to look for the patient's last STOP or START.
KEYWORD_LOOKBACK = 50


def replied_stop(patient: Patient) -> bool:
    """Is the patient's latest STOP/START to the clinic's number a STOP?

    Read from their inbound texts rather than consent history: STOP from a
    patient who never gave marketing consent changes no consent, so leaves no
    consent event, yet still means "no texts from this number".
    """
    inbound = Message.objects.filter(
        patient=patient, channel=Channel.SMS, direction=Direction.INBOUND
    ).order_by("-created_at")[:KEYWORD_LOOKBACK]
    for message in inbound:
        word = str(message.body or "").strip().upper()
        if word in STOP_WORDS:
            return True
        if word in START_WORDS:
            return False
    return False


def texted_back_recently(call: Call, now: dt.datetime) -> bool:
    return (
        Call.objects.filter(
            patient_id=call.patient_id,
            text_back__isnull=False,
            ended_at__gte=now - REPEAT_WINDOW,
        )
        .exclude(pk=call.pk)
        .exists()
    )


def why_not(call: Call, row: MessagingSettings, now: dt.datetime) -> str | None:
    """Why no text-back goes for this missed call, or None to send one."""
    if not row.missed_call_text_enabled:
        return "off"
    if texted_back_recently(call, now):
        return "texted_recently"
    if replied_stop(call.patient):
        return "replied_stop"
    return None


def queue(
    *, caller: Caller, call: Call, row: MessagingSettings, clinic: Clinic, now: dt.datetime
) -> tuple[Message | None, str | None]:
    """Queue the text-back for this missed call: (message, None) or (None, why not).

    Runs in the caller's transaction; the patient's row is locked first so two
    missed calls from one number ending at once cannot both text back.
    """
    list(Patient.objects.select_for_update().filter(pk=call.patient_id).values_list("pk"))
    reason = why_not(call, row, now)
    if reason is not None:
        return None, reason
    body = settings_fields.render_missed_call_text(row.missed_call_text, clinic.name)
    try:
        message = services.message_queue(
            caller=caller,
            patient=call.patient,
            body=body,
            kind=Kind.SERVICE,
            urgent=True,
            now=now,
        )
    except DomainError as exc:  # restricted, no phone: the call stays recorded
        logger.info("no missed-call text to patient %s: %s", call.patient_id, exc.detail)
        return None, str(exc.extra.get("reason") or "refused")
    return message, None
