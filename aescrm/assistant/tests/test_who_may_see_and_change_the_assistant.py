"""Owners and managers change the assistant's knowledge and settings; receptionists and
marketers read them and may try the assistant; clinicians and auditors get 403. A refused
change changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.assistant.models import AssistantSettings, KnowledgeItem
from aescrm.assistant.tests.kb_support import add_item
from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db

EVERYONE = ("owner", "manager", "receptionist", "marketer", "clinician", "auditor")
READERS = {"owner", "manager", "receptionist", "marketer"}
EDITORS = {"owner", "manager"}

PAGES = {
    "knowledge": ("/settings/assistant/knowledge", READERS),
    "settings": ("/settings/assistant", READERS),
    "new item": ("/settings/assistant/knowledge/new", EDITORS),
    "edit item": ("/settings/assistant/knowledge/{iid}/edit", EDITORS),
    "delete item": ("/settings/assistant/knowledge/{iid}/delete", EDITORS),
}


@pytest.mark.parametrize("role", EVERYONE)
@pytest.mark.parametrize("page", PAGES)
def test_each_page_answers_each_role(clinic_a: Any, page: str, role: str) -> None:
    item = add_item(clinic_a)
    url, allowed = PAGES[page]

    response = member_client(clinic_a, role).get(url.format(iid=item.pk))

    assert response.status_code == (200 if role in allowed else 403)


def test_a_marketer_sees_the_knowledge_and_settings_without_ways_to_change_them(
    clinic_a: Any,
) -> None:
    add_item(clinic_a)
    marketer = member_client(clinic_a, "marketer")

    knowledge = text(marketer.get("/settings/assistant/knowledge"))
    settings = text(marketer.get("/settings/assistant"))

    assert "Is there parking?" in knowledge
    assert "Import from catalogue" not in knowledge and "Add knowledge" not in knowledge
    assert "/edit" not in knowledge
    assert "Save settings" not in settings
    assert 'name="assistant_name"' in settings and "disabled" in settings
    assert 'name="llm_api_key"' not in settings


@pytest.mark.parametrize("role", sorted(set(EVERYONE) - EDITORS))
def test_only_editors_change_anything(clinic_a: Any, role: str) -> None:
    item = add_item(clinic_a)
    client = member_client(clinic_a, role)
    with clinic_scope(clinic_a.clinic.pk):
        audited = AuditEntry.objects.count()

    answers = [
        client.post(
            "/settings/assistant",
            {"assistant_name": "Hacked", "colour": "#000000", "booking_mode": "book"},
        ),
        client.post(
            "/settings/assistant/knowledge/new",
            {"kind": "faq", "title": "Hacked", "answer": "Hacked", "active": "on"},
        ),
        client.post(
            f"/settings/assistant/knowledge/{item.pk}/edit",
            {"kind": "faq", "title": "Hacked", "answer": "Hacked", "active": "on"},
        ),
        client.post(f"/settings/assistant/knowledge/{item.pk}/delete"),
        client.post("/settings/assistant/knowledge/import"),
    ]

    assert [r.status_code for r in answers] == [403] * len(answers)
    with clinic_scope(clinic_a.clinic.pk):
        assert [(i.title, i.answer) for i in KnowledgeItem.objects.all()] == [
            ("Is there parking?", "Yes, free parking behind the clinic.")
        ]
        assert not AssistantSettings.objects.filter(assistant_name="Hacked").exists()
        assert AuditEntry.objects.count() == audited


@pytest.mark.parametrize("role", EVERYONE)
def test_trying_the_assistant_is_for_readers(clinic_a: Any, role: str) -> None:
    client = member_client(clinic_a, role)

    response = client.post("/settings/assistant/test/reset")

    assert response.status_code == (302 if role in READERS else 403)
