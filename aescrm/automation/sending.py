"""The "send a template" step: render for this patient and queue through messaging.

Queuing goes through ``messaging.services.message_queue``, so the sending
policy (consent for marketing, restriction, quiet hours, suppression) applies
when queued and again when sent; this module only picks the wording.
"""

from __future__ import annotations

from typing import Any

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Clinic
from aescrm.automation.models import AutomationSettings
from aescrm.core.problems import ValidationFailed
from aescrm.mail.unsubscribe import unsubscribe_url
from aescrm.messaging import policy
from aescrm.messaging.models import Message
from aescrm.messaging.services import message_queue
from aescrm.patients.models import Appointment, Patient, Treatment
from aescrm.templating.models import MessageTemplate
from aescrm.templating.rendering import render


def template_for(action: dict[str, Any], treatment: Treatment | None) -> MessageTemplate | None:
    """The action's template, or the one it names for this treatment; None if gone."""
    template_id = action["template"]
    if treatment is not None:
        template_id = action.get("templates_by_treatment", {}).get(str(treatment.pk), template_id)
    return MessageTemplate.objects.filter(pk=template_id, active=True).first()


def links_for(clinic: Clinic, patient: Patient) -> dict[str, str]:
    row = AutomationSettings.objects.first()
    links = {"unsubscribe_link": unsubscribe_url(clinic.pk, patient.pk)}
    if row is not None and row.booking_url:
        links["booking_link"] = row.booking_url
    if row is not None and row.review_url:
        links["review_link"] = row.review_url
    return links


def send_template(
    *,
    caller: Caller,
    clinic: Clinic,
    patient: Patient,
    template: MessageTemplate,
    appointment: Appointment | None,
) -> Message:
    """Queue the message; ``MessageRefused`` if policy says no, ``ValidationFailed`` if it
    cannot be written (e.g. it needs a review link the clinic has not set)."""
    # The policy first: "no consent" is the answer even when the template would not render.
    policy.check(patient, channel=template.channel, kind=template.kind)
    try:
        rendered = render(
            template,
            clinic=clinic,
            patient=patient,
            appointment=appointment,
            links=links_for(clinic, patient),
        )
    except ValidationFailed as exc:
        if exc.field in ("booking_link", "review_link"):
            raise ValidationFailed(
                f"'{template.name}' uses {{{{ {exc.field} }}}}: set the link under "
                "Automations → Settings",
                field=exc.field,
            ) from exc
        raise
    return message_queue(
        caller=caller,
        patient=patient,
        body=rendered.text,
        kind=template.kind,
        channel=template.channel,
        subject=rendered.subject or None,
        html=rendered.html or None,
    )
