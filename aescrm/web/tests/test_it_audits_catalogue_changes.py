"""Every change to the catalogue is in the audit log: who, what, and the names of the fields
changed, never their values."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.web.tests.support import member_client

pytestmark = pytest.mark.django_db


def _entries(world: Any) -> list[tuple[str, str, dict[str, Any], str]]:
    with clinic_scope(world.clinic.pk):
        return [
            (e.action, e.object_id, e.detail, e.actor_id)
            for e in AuditEntry.objects.filter(
                clinic=world.clinic, action__regex=r"^(treatment|practitioner)\."
            ).order_by("id")
        ]


def test_each_change_is_audited_with_field_names_only(clinic_a: Any) -> None:
    manager = member_client(clinic_a, "manager")
    me = str(clinic_a.users["manager"].pk)
    t, p = str(clinic_a.treatment.pk), str(clinic_a.practitioner.pk)

    manager.post(
        f"/settings/treatments/{t}/edit",
        {"name": "Hygiene visit", "category": "Dental", "duration_minutes": "30", "price": "80"},
    )
    manager.post(f"/settings/treatments/{t}/archive")
    manager.post(f"/settings/treatments/{t}/restore")
    manager.post(
        f"/settings/practitioners/{p}/edit",
        {"display_name": "Dr Test", "registration": "GDC 123456"},
    )
    manager.post(f"/settings/practitioners/{p}/archive")

    assert _entries(clinic_a) == [
        ("treatment.update", t, {"fields": ["name", "price_pence"]}, me),
        ("treatment.archive", t, {"fields": ["active"]}, me),
        ("treatment.restore", t, {"fields": ["active"]}, me),
        ("practitioner.update", p, {"fields": ["profession", "registration", "user"]}, me),
        ("practitioner.archive", p, {"fields": ["active"]}, me),
    ]


def test_adding_is_audited_and_no_value_is_written(clinic_a: Any) -> None:
    owner = member_client(clinic_a, "owner")

    owner.post(
        "/settings/treatments", {"name": "Lip filler", "duration_minutes": "45", "price": "250"}
    )
    owner.post("/settings/practitioners", {"display_name": "Nurse Amy", "registration": "NMC 99"})

    entries = _entries(clinic_a)
    assert [(action, detail) for action, _, detail, _ in entries] == [
        (
            "treatment.create",
            {
                "fields": [
                    "buffer_after_minutes",
                    "buffer_before_minutes",
                    "category",
                    "duration_minutes",
                    "name",
                    "prescription_medicine",
                    "price_pence",
                ]
            },
        ),
        ("practitioner.create", {"fields": ["display_name", "profession", "registration", "user"]}),
    ]
    assert "Lip filler" not in repr(entries) and "NMC 99" not in repr(entries)
