"""The engines' knowledge is built once per clinic and rebuilt as soon as anything it is made
from changes: an item, a treatment's price, or a treatment switched off."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.assistant.knowledge import docs_for_clinic
from aescrm.assistant.models import KnowledgeItem
from aescrm.assistant.tests.support import stock
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Treatment

pytestmark = pytest.mark.django_db


def _answers(clinic: Any) -> dict[str, str]:
    with clinic_scope(clinic.pk):
        return {d.title: d.answer for d in docs_for_clinic()}


def test_edits_show_at_once_and_another_clinic_never_sees_them(
    clinic_a: Any, clinic_b: Any
) -> None:
    stock(clinic_a.clinic)
    stock(clinic_b.clinic)
    first = _answers(clinic_a.clinic)
    assert first == _answers(clinic_a.clinic)
    assert "£250" in first["Lip filler (1ml)"]

    with clinic_scope(clinic_a.clinic.pk):
        item = KnowledgeItem.objects.get(kind="location")
        item.answer = "We have moved to 3 Market Square; parking is on Bridge Street."
        item.save()
        Treatment.objects.filter(name="Lip filler (1ml)").update(price_pence=27500)
        Treatment.objects.filter(name="Teeth whitening").update(active=False)
    changed = _answers(clinic_a.clinic)
    assert changed["Where are you and is there parking?"].startswith("We have moved")
    assert "£275" in changed["Lip filler (1ml)"]
    assert "Teeth whitening" not in changed

    other = _answers(clinic_b.clinic)
    assert "£250" in other["Lip filler (1ml)"]
    assert other["Where are you and is there parking?"].startswith("We are at 12 High Street")
