"""Two treatments of one clinic may not share a name (in any capitals), archived ones
included; another clinic may use the same name."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Treatment
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db

LIP_FILLER = {"name": "Lip filler", "duration_minutes": "30", "price": "250"}


def test_adding_a_name_already_used_is_refused_with_the_name(clinic_a: Any) -> None:
    owner = member_client(clinic_a, "owner")
    assert owner.post("/settings/treatments", LIP_FILLER).status_code == 302

    response = owner.post("/settings/treatments", {**LIP_FILLER, "name": " lip FILLER "})

    assert response.status_code == 400
    assert (
        '<p class="error" id="id_name_error">A treatment called &#x27;Lip filler&#x27; '
        "already exists</p>"
    ) in text(response)
    with clinic_scope(clinic_a.clinic.pk):
        assert Treatment.objects.filter(name__iexact="lip filler").count() == 1


def test_renaming_onto_an_archived_treatment_says_to_restore_it(clinic_a: Any) -> None:
    owner = member_client(clinic_a, "owner")
    owner.post("/settings/treatments", LIP_FILLER)
    with clinic_scope(clinic_a.clinic.pk):
        old = Treatment.objects.get(name="Lip filler")
    owner.post(f"/settings/treatments/{old.pk}/archive")
    assert clinic_a.treatment is not None

    response = owner.post(f"/settings/treatments/{clinic_a.treatment.pk}/edit", LIP_FILLER)

    assert response.status_code == 400
    assert "already exists (archived: restore it instead)" in text(response)
    with clinic_scope(clinic_a.clinic.pk):
        assert Treatment.objects.get(pk=clinic_a.treatment.pk).name == "Hygienist appointment"


def test_another_clinic_may_use_the_same_name(clinic_a: Any, clinic_b: Any) -> None:
    member_client(clinic_a, "owner").post("/settings/treatments", LIP_FILLER)

    response = member_client(clinic_b, "owner").post("/settings/treatments", LIP_FILLER)

    assert response.status_code == 302
