"""Owners and managers add, edit and delete (after confirming) what the assistant knows;
each change is audited by field name; refusals name their field; a treatment item's title
stays its treatment's name."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.assistant.knowledge import KnowledgeInput, knowledge_create, knowledge_import_catalogue
from aescrm.assistant.models import KnowledgeItem
from aescrm.assistant.tests.kb_support import add_item
from aescrm.audit.models import AuditEntry
from aescrm.core.problems import ValidationFailed
from aescrm.core.tenancy import clinic_scope
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db
LIST = "/settings/assistant/knowledge"


def _actions(world: Any) -> list[tuple[str, Any]]:
    with clinic_scope(world.clinic.pk):
        return [
            (e.action, e.detail)
            for e in AuditEntry.objects.filter(action__startswith="assistant.").order_by("id")
        ]


def test_a_manager_adds_edits_and_deletes_an_answer(clinic_a: Any) -> None:
    manager = member_client(clinic_a, "manager")

    added = manager.post(
        f"{LIST}/new",
        {
            "kind": "policy",
            "title": "  Cancellation policy ",
            "answer": "Please give us 48 hours' notice.",
            "keywords": "cancel, rearrange",
            "active": "on",
        },
        follow=True,
    )
    with clinic_scope(clinic_a.clinic.pk):
        item = KnowledgeItem.objects.get()
    assert "“Cancellation policy” added." in text(added)
    assert (item.kind, item.title, item.keywords) == (
        "policy",
        "Cancellation policy",
        "cancel, rearrange",
    )
    assert "Please give us 48 hours&#x27; notice." in text(added)

    manager.post(
        f"{LIST}/{item.pk}/edit",
        {
            "kind": "policy",
            "title": "Cancellation policy",
            "answer": "Please give us 48 hours' notice, or the deposit is kept.",
            "keywords": "cancel, rearrange",
        },
    )
    with clinic_scope(clinic_a.clinic.pk):
        item.refresh_from_db()
    assert item.answer.endswith("the deposit is kept.") and not item.active

    question = manager.get(f"{LIST}/{item.pk}/delete")
    assert "Delete “Cancellation policy”?" in text(question)
    with clinic_scope(clinic_a.clinic.pk):
        assert KnowledgeItem.objects.exists()
    deleted = manager.post(f"{LIST}/{item.pk}/delete", follow=True)
    assert "“Cancellation policy” deleted." in text(deleted)
    with clinic_scope(clinic_a.clinic.pk):
        assert not KnowledgeItem.objects.exists()

    assert _actions(clinic_a) == [
        ("assistant.knowledge.create", {"kind": "policy"}),
        ("assistant.knowledge.update", {"fields": ["answer", "active"]}),
        ("assistant.knowledge.delete", {"kind": "policy"}),
    ]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "x" * 201}, "title"),
        ({"title": " "}, "title"),
        ({"answer": "y" * 2001}, "answer"),
        ({"answer": "Open\x00late"}, "answer"),
        ({"keywords": "k" * 501}, "keywords"),
        ({"kind": "treatment"}, "kind"),
        ({"kind": "gossip"}, "kind"),
    ],
)
def test_each_refusal_names_its_field(clinic_a: Any, change: dict[str, str], field: str) -> None:
    data = KnowledgeInput(kind="faq", title="Do you take cards?", answer="Yes.")
    with clinic_scope(clinic_a.clinic.pk):
        with pytest.raises(ValidationFailed) as refused:
            knowledge_create(
                caller=clinic_a.caller(), data=KnowledgeInput(**{**vars(data), **change})
            )
        assert refused.value.field == field
        assert not KnowledgeItem.objects.exists()


def test_the_page_shows_a_refusal_next_to_its_field(clinic_a: Any) -> None:
    response = member_client(clinic_a, "owner").post(
        f"{LIST}/new", {"kind": "faq", "title": "Cards?", "answer": ""}
    )
    assert response.status_code == 422
    assert 'id="id_answer_error"' in text(response)
    assert "Enter the answer." in text(response)


def test_a_treatment_items_title_follows_its_treatment(clinic_a: Any) -> None:
    with clinic_scope(clinic_a.clinic.pk):
        knowledge_import_catalogue(caller=clinic_a.caller())
        item = KnowledgeItem.objects.get()
    owner = member_client(clinic_a, "owner")

    form = owner.get(f"{LIST}/{item.pk}/edit")
    owner.post(
        f"{LIST}/{item.pk}/edit",
        {
            "kind": "faq",
            "title": "Cheap cleaning",
            "answer": item.answer + " Book twice a year.",
            "keywords": "scale and polish",
            "active": "on",
        },
    )

    assert 'name="title"' not in text(form)
    with clinic_scope(clinic_a.clinic.pk):
        item.refresh_from_db()
    assert (item.kind, item.title, item.keywords) == (
        "treatment",
        "Hygienist appointment",
        "scale and polish",
    )
    assert item.answer.endswith("Book twice a year.")


def test_the_list_groups_items_by_kind(clinic_a: Any) -> None:
    add_item(clinic_a, "Is there parking?")
    add_item(clinic_a, "Do you offer finance?", kind="finance", answer="Yes, 0% over 12 months.")
    add_item(clinic_a, "Do you take cards?", kind="faq", answer="Yes.")

    page = text(member_client(clinic_a, "receptionist").get(LIST))

    order = [page.index(h) for h in ("Question and answer", "Location and parking", "Finance")]
    assert order == sorted(order)
    assert page.index("Do you take cards?") < page.index("Is there parking?")
    assert page.index("Is there parking?") < page.index("Do you offer finance?")
