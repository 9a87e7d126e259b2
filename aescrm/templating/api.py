"""JSON API: message templates (scope messages:read); a preview also reads the patient
(scope patients:read)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest
from ninja import Router, Schema

from aescrm.api.common import ERRORS, caller_of
from aescrm.templating import selectors
from aescrm.templating.models import MessageTemplate

router = Router(tags=["message templates"])


class TemplateOut(Schema):
    id: uuid.UUID
    name: str
    channel: str
    kind: str
    subject: str
    body_text: str
    body_html: str
    active: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class PreviewIn(Schema):
    patient: uuid.UUID
    appointment: uuid.UUID | None = None


class SegmentsOut(Schema):
    encoding: str
    parts: int
    units: int
    remaining: int


class PreviewOut(Schema):
    subject: str
    text: str
    html: str
    sms: SegmentsOut | None


@router.get("/templates", response={200: list[TemplateOut], **ERRORS})
def list_templates(request: HttpRequest) -> list[MessageTemplate]:
    return list(selectors.template_list(caller=caller_of(request)))


@router.get("/templates/{template_id}", response={200: TemplateOut, **ERRORS})
def get_template(request: HttpRequest, template_id: str) -> MessageTemplate:
    return selectors.template_get(caller=caller_of(request), template_id=template_id)


@router.post("/templates/{template_id}/preview", response={200: PreviewOut, **ERRORS})
def preview_template(
    request: HttpRequest, template_id: str, payload: PreviewIn
) -> dict[str, object]:
    caller = caller_of(request)
    template = selectors.template_get(caller=caller, template_id=template_id)
    rendered = selectors.template_preview(
        caller=caller,
        template=template,
        patient_id=payload.patient,
        appointment_id=payload.appointment,
    )
    seg = rendered.segments
    return {
        "subject": rendered.subject,
        "text": rendered.text,
        "html": rendered.html,
        "sms": None
        if seg is None
        else {
            "encoding": seg.encoding,
            "parts": seg.parts,
            "units": seg.units,
            "remaining": seg.remaining,
        },
    }
