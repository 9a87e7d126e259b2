"""Messages: queue an SMS or an email to a patient (policy-checked) and read one back."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status

from aescrm.accounts.caller import Caller
from aescrm.accounts.permissions import Perm
from aescrm.api.common import ERRORS, caller_of
from aescrm.api.schemas import Strict
from aescrm.core.problems import ValidationFailed
from aescrm.messaging import selectors, services
from aescrm.messaging.models import Message
from aescrm.patients.models import Patient
from aescrm.patients.selectors import patient_get

router = Router(tags=["messages"])


class MessageIn(Strict):
    patient: uuid.UUID
    channel: Literal["sms", "email"] = "sms"
    # Required unless an email template is given.
    body: str | None = None
    # Default "service"; with a template, the template's kind.
    kind: Literal["service", "marketing"] | None = None
    # Email only; default "Message from <clinic>", or "Re: …" answering the patient's email.
    subject: str | None = None
    # Email only: an email message template (subject, text and HTML), and the
    # appointment its merge fields need, if any.
    template: uuid.UUID | None = None
    appointment: uuid.UUID | None = None


class MessageOut(Schema):
    id: uuid.UUID
    patient: uuid.UUID
    conversation: uuid.UUID
    channel: str
    direction: str
    kind: str
    status: str
    body: str | None = None
    subject: str | None = None
    segments: int
    encoding: str
    cost_pence: int
    send_after: dt.datetime | None = None
    sent_at: dt.datetime | None = None
    delivered_at: dt.datetime | None = None
    error_code: str
    error_reason: str
    created_at: dt.datetime


def _from_template(caller: Caller, patient: Patient, payload: MessageIn) -> Message:
    from aescrm.mail import templated

    if payload.channel != "email":
        raise ValidationFailed(
            "templates are sent by email here: set channel to email", field="template"
        )
    if payload.body is not None or payload.subject is not None:
        raise ValidationFailed("give a template or a body and subject, not both", field="template")
    template = templated.email_template_get(payload.template)
    if payload.kind is not None and payload.kind != template.kind:
        raise ValidationFailed(
            f"this template is {template.kind}, not {payload.kind}", field="kind"
        )
    return templated.queue_from_template(
        caller=caller,
        patient=patient,
        template=template,
        appointment=templated.appointment_of(patient, payload.appointment),
    )


@router.post("/messages", response={201: MessageOut, **ERRORS})
def send_message(request: HttpRequest, payload: MessageIn) -> Status[dict[str, object]]:
    """Queue a message. Refusals are 422 problem details with a ``reason``:
    ``no_consent``, ``opted_out``, ``restricted``, ``no_phone``, ``no_email``, ``suppressed``
    (email to an address that hard-bounced or complained), ``channel_unsupported``.

    Past the plan's SMS or email limit the message is still queued but held until the
    period resets: ``error_code`` ``usage_limit``, ``error_reason`` naming the limit, and
    ``send_after`` the reset (docs/decisions/0033)."""
    caller = caller_of(request)
    caller.require(Perm.MESSAGE_SEND)
    patient = patient_get(caller=caller, patient_id=payload.patient, purpose="api message")
    if payload.template is not None:
        message = _from_template(caller, patient, payload)
    else:
        if payload.body is None:
            raise ValidationFailed("a message needs a body (or an email template)", field="body")
        message = services.message_queue(
            caller=caller,
            patient=patient,
            body=payload.body,
            kind=payload.kind or "service",
            channel=payload.channel,
            subject=payload.subject if payload.channel == "email" else None,
        )
    return Status(201, selectors.message_out(message, bodies=caller.can(Perm.MESSAGE_BODY_VIEW)))


@router.get("/messages/{message_id}", response={200: MessageOut, **ERRORS})
def get_message(request: HttpRequest, message_id: str) -> dict[str, object]:
    caller = caller_of(request)
    message = selectors.message_get(caller=caller, message_id=message_id)
    return selectors.message_out(message, bodies=caller.can(Perm.MESSAGE_BODY_VIEW))
