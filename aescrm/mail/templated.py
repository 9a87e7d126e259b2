"""Email from a message template: its subject, text and HTML rendered for one patient,
with the patient's own unsubscribe link for ``{{ unsubscribe_link }}``."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Clinic
from aescrm.accounts.permissions import Perm
from aescrm.core.problems import ValidationFailed
from aescrm.mail.unsubscribe import unsubscribe_url
from aescrm.messaging import policy
from aescrm.messaging.models import Channel, Message
from aescrm.messaging.services import message_queue
from aescrm.patients.models import Appointment, Patient
from aescrm.templating.models import MessageTemplate, TemplateChannel
from aescrm.templating.rendering import render


def _uuid(value: Any, field: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise ValidationFailed(f"no such {what}", field=field) from exc


def email_template_get(template_id: Any) -> MessageTemplate:
    template = MessageTemplate.objects.filter(
        pk=_uuid(template_id, "template", "template"), active=True
    ).first()
    if template is None:
        raise ValidationFailed("no such active template in this clinic", field="template")
    if template.channel != TemplateChannel.EMAIL:
        raise ValidationFailed(
            "that template is for SMS: choose an email template", field="template"
        )
    return template


def appointment_of(patient: Patient, appointment_id: Any) -> Appointment | None:
    if appointment_id in (None, ""):
        return None
    appointment = (
        Appointment.objects.select_related("treatment", "practitioner")
        .filter(pk=_uuid(appointment_id, "appointment", "appointment"), patient=patient)
        .first()
    )
    if appointment is None:
        raise ValidationFailed("no such appointment for this patient", field="appointment")
    return appointment


def queue_from_template(
    *,
    caller: Caller,
    patient: Patient,
    template: MessageTemplate,
    appointment: Appointment | None = None,
    now: dt.datetime | None = None,
) -> Message:
    caller.require(Perm.MESSAGE_SEND)
    # The policy first: "no consent" is the answer even if the template would not render.
    policy.check(patient, channel=Channel.EMAIL, kind=template.kind)
    clinic = Clinic.objects.get(pk=caller.clinic_id)
    rendered = render(
        template,
        clinic=clinic,
        patient=patient,
        appointment=appointment,
        links={"unsubscribe_link": unsubscribe_url(clinic.pk, patient.pk)},
    )
    return message_queue(
        caller=caller,
        patient=patient,
        body=rendered.text,
        kind=template.kind,
        channel=Channel.EMAIL,
        subject=rendered.subject,
        html=rendered.html,
        now=now,
    )
