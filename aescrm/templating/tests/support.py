"""Helpers for message template tests."""

from __future__ import annotations

from typing import Any

from aescrm.core.tenancy import clinic_scope
from aescrm.templating.models import MessageTemplate
from aescrm.templating.services import TemplateInput, template_create
from aescrm.testing.fixtures import ClinicWorld

REMINDER = (
    "Hi {{ first_name }}, see you {{ appointment_time }} for {{ treatment }} "
    "with {{ practitioner }} at {{ clinic_name }}."
)


def make_template(world: ClinicWorld, **fields: Any) -> MessageTemplate:
    data: dict[str, Any] = {
        "name": "Reminder",
        "channel": "sms",
        "kind": "service",
        "body_text": REMINDER,
        **fields,
    }
    with clinic_scope(world.clinic.pk):
        return template_create(caller=world.caller(), data=TemplateInput(**data))
