"""Helpers for the assistant's staff-page tests: knowledge items and treatments in a clinic."""

from __future__ import annotations

from typing import Any

from aescrm.assistant.knowledge import KnowledgeInput, knowledge_create
from aescrm.assistant.models import KnowledgeItem
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Treatment
from aescrm.testing.fixtures import ClinicWorld


def add_item(world: ClinicWorld, title: str = "Is there parking?", **fields: Any) -> KnowledgeItem:
    data = KnowledgeInput(
        kind=fields.pop("kind", "location"),
        title=title,
        answer=fields.pop("answer", "Yes, free parking behind the clinic."),
        **fields,
    )
    with clinic_scope(world.clinic.pk):
        return knowledge_create(caller=world.caller(), data=data)


def add_treatment(world: ClinicWorld, name: str, **fields: Any) -> Treatment:
    defaults: dict[str, Any] = {"category": "Aesthetic", "duration_minutes": 45}
    with clinic_scope(world.clinic.pk):
        return Treatment.objects.create(name=name, **{**defaults, **fields})
