"""Helpers for the automation pages' tests: templates, a builder form as a browser posts it."""

from __future__ import annotations

from typing import Any

from aescrm.core.tenancy import clinic_scope
from aescrm.templating.models import MessageTemplate
from aescrm.templating.services import TemplateInput, template_create
from aescrm.testing.fixtures import ClinicWorld


def sms_template(
    world: ClinicWorld, name: str, body: str, kind: str = "service"
) -> MessageTemplate:
    with clinic_scope(world.clinic.pk):
        return template_create(
            caller=world.caller(),
            data=TemplateInput(name=name, channel="sms", kind=kind, body_text=body),
        )


def builder_form(
    name: str,
    *,
    event: str = "enquiry_created",
    amount: str = "",
    unit: str = "hours",
    direction: str = "before",
    conditions: list[dict[str, str]] | None = None,
    actions: list[dict[str, str]] | None = None,
    stop_when: list[str] | None = None,
) -> dict[str, Any]:
    """The fields the builder page posts for these rows (``op`` save)."""
    data: dict[str, Any] = {
        "name": name,
        "event": event,
        "amount": amount,
        "unit": unit,
        "direction": direction,
        "op": "save",
        "stop_when": stop_when or [],
    }
    key = 0
    for condition in conditions or []:
        for field, value in condition.items():
            data[f"cond-{key}-{field}"] = value
        key += 1
    for action in actions or []:
        for field, value in action.items():
            data[f"act-{key}-{field}"] = value
        key += 1
    return data
