"""A treatment added or repriced on Settings → Treatments is what the website assistant
knows next, with no import and no wait (its knowledge follows the catalogue)."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.assistant.knowledge import docs_for_clinic
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Treatment
from aescrm.web.tests.support import member_client

pytestmark = pytest.mark.django_db


def _known(world: Any) -> dict[str, int | None]:
    with clinic_scope(world.clinic.pk):
        return {d.title: d.price_pence for d in docs_for_clinic()}


def test_the_assistant_knows_the_new_price_at_once(clinic_a: Any) -> None:
    owner = member_client(clinic_a, "owner")
    assert "Lip filler" not in _known(clinic_a)  # and its knowledge is now cached
    owner.post(
        "/settings/treatments", {"name": "Lip filler", "duration_minutes": "30", "price": "£250"}
    )
    assert _known(clinic_a)["Lip filler"] == 25000
    with clinic_scope(clinic_a.clinic.pk):
        pk = Treatment.objects.get(name="Lip filler").pk

    owner.post(
        f"/settings/treatments/{pk}/edit",
        {"name": "Lip filler", "duration_minutes": "30", "price": "275"},
    )

    assert _known(clinic_a)["Lip filler"] == 27500
