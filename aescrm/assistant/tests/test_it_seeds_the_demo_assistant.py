"""`aescrm seed_demo` gives each demo clinic an assistant that knows its catalogue, its hours,
parking, finance, policies and a privacy notice; running it again duplicates nothing."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from aescrm.accounts.models import Clinic
from aescrm.assistant.knowledge import docs_for_clinic
from aescrm.assistant.models import AssistantSettings, KnowledgeItem
from aescrm.core.tenancy import clinic_scope
from aescrm.demo import seed
from aescrm.patients.models import Treatment
from aescrm.templating import pom

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_demo(monkeypatch: Any) -> None:
    monkeypatch.setattr(
        seed, "CLINICS", [(slug, name, domains, 4) for slug, name, domains, _ in seed.CLINICS]
    )


def test_each_demo_clinic_has_assistant_knowledge_and_settings(small_demo: None) -> None:
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())

    for clinic in Clinic.objects.filter(slug__in=["harbour", "northgate"]):
        with clinic_scope(clinic.pk):
            settings = AssistantSettings.objects.get()
            items = list(KnowledgeItem.objects.all())
            treatments = Treatment.objects.filter(active=True).count()
            docs = docs_for_clinic()
        assert settings.privacy_notice_url.startswith("https://")
        assert settings.urgent_phone.startswith("+44")
        assert sum(i.kind == "treatment" for i in items) == treatments
        others = [i for i in items if i.kind != "treatment"]
        assert len(others) == 10
        assert {i.kind for i in others} == {"hours", "location", "finance", "policy", "faq"}
        assert len({i.title for i in items}) == len(items)
        assert not [i.title for i in items if pom.named_medicines(i.answer)]
        assert any("0%" in i.answer and "subject to status" in i.answer for i in others)
        assert [d.title for d in docs if d.kind == "hours"] == ["When are you open?"]
