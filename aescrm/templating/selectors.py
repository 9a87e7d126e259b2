"""Reads of message templates, and previews with a real patient (audited as a patient read)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Clinic
from aescrm.accounts.permissions import Perm
from aescrm.core.problems import NotFound, ValidationFailed
from aescrm.patients.models import Appointment
from aescrm.patients.selectors import patient_get
from aescrm.templating.models import MessageTemplate
from aescrm.templating.rendering import Rendered, render

# Links in a preview: as long as real ones, so the SMS part count is honest.
PREVIEW_LINKS = {
    "booking_link": "https://book.aescrm.example/b/Xk3mQ9pL",
    "unsubscribe_link": "https://book.aescrm.example/u/Xk3mQ9pL",
    "review_link": "https://book.aescrm.example/r/Xk3mQ9pL",
}


def template_list(*, caller: Caller) -> QuerySet[MessageTemplate]:
    caller.require(Perm.MESSAGE_TEMPLATE_VIEW)
    return MessageTemplate.objects.all()


def template_get(*, caller: Caller, template_id: Any) -> MessageTemplate:
    caller.require(Perm.MESSAGE_TEMPLATE_VIEW)
    try:
        pk = uuid.UUID(str(template_id))
    except ValueError as exc:
        raise NotFound("no such template") from exc
    template = MessageTemplate.objects.filter(pk=pk).first()
    if template is None:
        raise NotFound("no such template")
    return template


def template_preview(
    *,
    caller: Caller,
    template: MessageTemplate,
    patient_id: Any,
    appointment_id: Any = None,
) -> Rendered:
    """The template rendered for one of the clinic's patients (and one of their appointments)."""
    caller.require(Perm.MESSAGE_TEMPLATE_VIEW)
    try:
        patient = patient_get(caller=caller, patient_id=patient_id, purpose="template preview")
    except NotFound as exc:
        raise ValidationFailed("no such patient in this clinic", field="patient") from exc
    appointment = None
    if appointment_id not in (None, ""):
        try:
            aid = uuid.UUID(str(appointment_id))
        except ValueError as exc:
            raise ValidationFailed("no such appointment", field="appointment") from exc
        appointment = (
            Appointment.objects.select_related("treatment", "practitioner")
            .filter(pk=aid, patient=patient)
            .first()
        )
        if appointment is None:
            raise ValidationFailed("no such appointment for this patient", field="appointment")
    clinic = Clinic.objects.get(pk=caller.clinic_id)
    return render(
        template, clinic=clinic, patient=patient, appointment=appointment, links=PREVIEW_LINKS
    )
