"""A member of clinic B gets 404 for clinic A's knowledge items, and nothing changes."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.assistant.models import KnowledgeItem
from aescrm.assistant.tests.kb_support import add_item
from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["owner", "manager"])
def test_clinic_a_items_are_404_to_clinic_b(clinic_a: Any, clinic_b: Any, role: str) -> None:
    item = add_item(clinic_a)
    outsider = member_client(clinic_b, role)
    edit = {"kind": "faq", "title": "Hacked", "answer": "Hacked", "active": "on"}
    base = f"/settings/assistant/knowledge/{item.pk}"

    responses = {
        "edit form": outsider.get(f"{base}/edit"),
        "edit": outsider.post(f"{base}/edit", edit),
        "delete question": outsider.get(f"{base}/delete"),
        "delete": outsider.post(f"{base}/delete"),
    }
    listing = text(outsider.get("/settings/assistant/knowledge"))

    assert {name: r.status_code for name, r in responses.items()} == dict.fromkeys(responses, 404)
    assert "That page does not exist" in text(responses["edit"])
    assert "Is there parking?" not in listing
    with clinic_scope(clinic_a.clinic.pk):
        fresh = KnowledgeItem.objects.get(pk=item.pk)
        assert (fresh.title, fresh.answer) == (
            "Is there parking?",
            "Yes, free parking behind the clinic.",
        )
    with clinic_scope(clinic_b.clinic.pk):
        assert not KnowledgeItem.objects.exists()
        assert not AuditEntry.objects.filter(object_id=str(item.pk)).exists()


def test_clinic_b_imports_only_its_own_catalogue(clinic_a: Any, clinic_b: Any) -> None:
    member_client(clinic_b, "owner").post("/settings/assistant/knowledge/import")

    with clinic_scope(clinic_a.clinic.pk):
        assert not KnowledgeItem.objects.exists()
    with clinic_scope(clinic_b.clinic.pk):
        assert [i.treatment_id for i in KnowledgeItem.objects.all()] == [clinic_b.treatment.pk]
