"""Import from catalogue: one item per active treatment, worded from the catalogue; again,
it changes only what the catalogue changed, keeps staff keywords and switches off items
of withdrawn treatments. The engines always get the current price."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.assistant.knowledge import (
    docs_for_clinic,
    knowledge_import_catalogue,
    knowledge_list,
)
from aescrm.assistant.models import KnowledgeItem
from aescrm.assistant.tests.kb_support import add_treatment
from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Treatment
from aescrm.templating import pom
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db


def _import(world: Any) -> tuple[int, int]:
    with clinic_scope(world.clinic.pk):
        return knowledge_import_catalogue(caller=world.caller("manager"))


def _answers(world: Any) -> dict[str, str]:
    with clinic_scope(world.clinic.pk):
        return {i.title: i.answer for i in knowledge_list(caller=world.caller(), kind="treatment")}


def test_it_words_each_treatment_from_the_catalogue(clinic_a: Any) -> None:
    add_treatment(clinic_a, "Lip filler (1ml)", price_pence=25000, duration_minutes=45)
    add_treatment(
        clinic_a,
        "Anti-wrinkle injections (Botox, three areas)",
        price_pence=25000,
        duration_minutes=30,
        prescription_medicine=True,
    )
    add_treatment(clinic_a, "Implant consultation", price_pence=0, duration_minutes=90)
    add_treatment(clinic_a, "Retired peel", price_pence=9000, active=False)

    assert _import(clinic_a) == (4, 0)

    answers = _answers(clinic_a)
    assert answers["Lip filler (1ml)"] == (
        "Lip filler (1ml) costs £250 and takes about 45 minutes."
    )
    assert answers["Hygienist appointment"] == (
        "Hygienist appointment costs £75 and takes about 30 minutes."
    )
    assert answers["Implant consultation"] == (
        "Implant consultation is free and takes about an hour and a half."
    )
    medicine = answers["Anti-wrinkle injections (Botox, three areas)"]
    assert medicine == (
        "This treatment costs £250 and takes about 30 minutes. It is a prescription-only "
        "medicine, so it starts with a consultation with one of our prescribers."
    )
    assert pom.named_medicines(medicine) == []
    assert "Retired peel" not in answers


def test_importing_again_changes_only_what_the_catalogue_changed(clinic_a: Any) -> None:
    filler = add_treatment(clinic_a, "Lip filler (1ml)", price_pence=25000)
    peel = add_treatment(clinic_a, "Chemical peel", price_pence=11500)
    assert _import(clinic_a) == (3, 0)
    with clinic_scope(clinic_a.clinic.pk):
        KnowledgeItem.objects.filter(treatment=filler).update(keywords="lips, lip fillers")

    # Nothing changed: nothing to do
    assert _import(clinic_a) == (0, 0)

    # The price and name change, a treatment is withdrawn, one is added
    with clinic_scope(clinic_a.clinic.pk):
        Treatment.objects.filter(pk=filler.pk).update(name="Lip filler (1 ml)", price_pence=27500)
        Treatment.objects.filter(pk=peel.pk).update(active=False)
    add_treatment(clinic_a, "Skin booster", price_pence=30000)
    assert _import(clinic_a) == (1, 2)

    with clinic_scope(clinic_a.clinic.pk):
        item = KnowledgeItem.objects.get(treatment=filler)
        assert (item.title, item.keywords, item.active) == (
            "Lip filler (1 ml)",
            "lips, lip fillers",
            True,
        )
        assert item.answer == "Lip filler (1 ml) costs £275 and takes about 45 minutes."
        assert not KnowledgeItem.objects.get(treatment=peel).active
        assert KnowledgeItem.objects.count() == 4
        assert AuditEntry.objects.filter(action="assistant.knowledge.import").count() == 3


def test_the_engines_get_the_current_price_before_the_next_import(clinic_a: Any) -> None:
    filler = add_treatment(clinic_a, "Lip filler (1ml)", price_pence=25000, category="Fillers")
    _import(clinic_a)
    with clinic_scope(clinic_a.clinic.pk):
        item = KnowledgeItem.objects.get(treatment=filler)
        item.answer += " Results last six to nine months."
        item.save()
        Treatment.objects.filter(pk=filler.pk).update(price_pence=29900, duration_minutes=60)

        docs = {d.title: d for d in docs_for_clinic()}

    doc = docs["Lip filler (1ml)"]
    assert (doc.price_pence, doc.duration_minutes, doc.category) == (29900, 60, "Fillers")
    assert (doc.kind, doc.treatment_id, doc.prescription_medicine) == (
        "treatment",
        str(filler.pk),
        False,
    )
    assert doc.answer == (
        "Lip filler (1ml) costs £299 and takes about an hour. Results last six to nine months."
    )


def test_the_page_says_how_many_were_added_and_updated(clinic_a: Any) -> None:
    add_treatment(clinic_a, "Lip filler (1ml)", price_pence=25000)
    manager = member_client(clinic_a, "manager")

    before = text(manager.get("/settings/assistant/knowledge"))
    first = manager.post("/settings/assistant/knowledge/import", follow=True)
    with clinic_scope(clinic_a.clinic.pk):
        Treatment.objects.filter(name="Lip filler (1ml)").update(price_pence=26000)
    second = manager.post("/settings/assistant/knowledge/import", follow=True)
    third = manager.post("/settings/assistant/knowledge/import", follow=True)

    assert "2 treatments in your catalogue are not imported yet" in before
    assert "Catalogue imported: 2 added, 0 updated." in text(first)
    assert 'id="not-imported"' not in text(first)
    assert "Lip filler (1ml) costs £250" in text(first)
    assert "Catalogue imported: 0 added, 1 updated." in text(second)
    assert "nothing to change" in text(third)
