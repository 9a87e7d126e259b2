"""A patient's message arrives: answer a reminder's C / R, and let rules see the message.

A reminder asks the patient to reply C (or YES) to confirm or R to rebook.
A bare C or R means something only after such a reminder, so it applies to
the appointment of the latest reminder sent in the last fortnight that is
still ahead; anything else is left to staff in the inbox.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from typing import Any

from django.utils import timezone

from aescrm.automation import engine, log
from aescrm.automation.models import Outcome, RunLog
from aescrm.core.problems import DomainError
from aescrm.messaging.models import Channel
from aescrm.patients.models import Appointment, AppointmentStatus

CONFIRM_WORDS = frozenset({"C", "YES", "Y", "CONFIRM", "CONFIRMED"})
REBOOK_WORDS = frozenset({"R", "REBOOK", "RESCHEDULE"})
REMINDER_LOOKBACK = dt.timedelta(days=14)
_PUNCTUATION = re.compile(r"[\s.!,'\"]+")


def reply_word(body: str) -> str:
    return _PUNCTUATION.sub("", body or "").upper()


def reminded_appointment(patient_id: Any, now: dt.datetime) -> Appointment | None:
    """The appointment of the latest reminder sent to the patient that is still to come."""
    sent = (
        RunLog.objects.filter(
            patient_id=patient_id,
            outcome__in=(Outcome.SENT, Outcome.HELD),
            event="appointment_time",
            at__gte=now - REMINDER_LOOKBACK,
            run__appointment__isnull=False,
        )
        .select_related("run__appointment")
        .order_by("-at")
    )
    for entry in sent:
        appointment = entry.run.appointment if entry.run else None
        if (
            appointment is not None
            and appointment.starts_at > now
            and appointment.status in (AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED)
        ):
            return appointment
    return None


def received(message: Any, *, now: dt.datetime | None = None) -> None:
    """In the transaction that stored the inbound ``message``."""
    now = now or timezone.now()
    if message.channel == Channel.SMS:
        _reminder_reply(message, now)
    engine.message_received(message, now=now)


def _reminder_reply(message: Any, now: dt.datetime) -> None:
    word = reply_word(message.body)
    if word not in CONFIRM_WORDS | REBOOK_WORDS:
        return
    appointment = reminded_appointment(message.patient_id, now)
    if appointment is None:
        return
    caller = engine.automation_caller(appointment.clinic_id)
    when = engine._local(appointment.starts_at)
    if word in CONFIRM_WORDS:
        _confirm(caller, appointment, message, when, now)
    else:
        _rebook(caller, appointment, message, when, now)


def reception_member(clinic_id: Any, subject: Any) -> Any:
    """Whoever works the patient's lead, else the first receptionist (else lead staff)."""
    from aescrm.pipeline.staff import round_robin_pool

    pool = round_robin_pool(clinic_id)
    lead = subject.lead
    if lead is not None and lead.assigned_to_id in pool:
        return lead.assigned_to_id
    return pool[0] if pool else None


def _acknowledge(caller: Any, appointment: Appointment, body: str) -> None:
    from aescrm.messaging.services import message_queue

    # No phone any more, or restricted: the log already says what happened.
    with contextlib.suppress(DomainError):
        message_queue(caller=caller, patient=appointment.patient, body=body, kind="service")


def _confirm(
    caller: Any, appointment: Appointment, message: Any, when: str, now: dt.datetime
) -> None:
    from aescrm.patients.services import appointment_update

    if appointment.status == AppointmentStatus.BOOKED:
        appointment_update(
            caller=caller, appointment=appointment, status=AppointmentStatus.CONFIRMED
        )
    log.write(
        appointment.patient_id,
        Outcome.REPLY,
        at=now,
        event="message_received",
        event_key=f"message_received:{message.pk}",
        reason="confirmed",
        detail=f"replied {message.body.strip()[:20]!r}: appointment on {when} confirmed",
    )
    _acknowledge(caller, appointment, f"Thank you, your appointment on {when} is confirmed.")


def _rebook(
    caller: Any, appointment: Appointment, message: Any, when: str, now: dt.datetime
) -> None:
    from aescrm.automation.conditions import Subject
    from aescrm.pipeline.services import task_create

    subject = Subject(appointment.patient, appointment)
    assignee = reception_member(appointment.clinic_id, subject)
    detail = f"replied {message.body.strip()[:20]!r}: asked to rebook the appointment on {when}"
    if assignee is not None:
        task_create(
            caller=caller,
            kind="call_back",
            due_at=now + dt.timedelta(minutes=30),
            assignee_id=assignee,
            enquiry=subject.lead,
            note=f"Wants to rebook the appointment on {when} (replied R to the reminder)",
        )
        detail += "; a call-back task was made for reception"
    log.write(
        appointment.patient_id,
        Outcome.REPLY,
        at=now,
        event="message_received",
        event_key=f"message_received:{message.pk}",
        reason="rebook",
        detail=detail,
    )
    _acknowledge(caller, appointment, "Thank you, the team will be in touch to find a new time.")
