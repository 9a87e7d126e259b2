"""Receptionists, clinicians, marketers and auditors get 403 on the catalogue pages, and
what they post changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Practitioner, Treatment
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["receptionist", "clinician", "marketer", "auditor"])
def test_other_roles_get_403_and_nothing_changes(clinic_a: Any, role: str) -> None:
    client = member_client(clinic_a, role)
    t, p = clinic_a.treatment.pk, clinic_a.practitioner.pk

    for url, posted in [
        ("/settings/treatments", {"name": "Botox", "duration_minutes": "30", "price": "200"}),
        (
            f"/settings/treatments/{t}/edit",
            {"name": "Botox", "duration_minutes": "30", "price": "1"},
        ),
        (f"/settings/treatments/{t}/archive", {}),
        ("/settings/practitioners", {"display_name": "Dr New"}),
        (f"/settings/practitioners/{p}/edit", {"display_name": "Dr New"}),
        (f"/settings/practitioners/{p}/archive", {}),
    ]:
        response = client.post(url, posted)
        assert response.status_code == 403, url
        assert "Your role does not give access to this page." in text(response)

    with clinic_scope(clinic_a.clinic.pk):
        assert list(Treatment.objects.values_list("name", "price_pence", "active")) == [
            ("Hygienist appointment", 7500, True)
        ]
        assert list(Practitioner.objects.values_list("display_name", "active")) == [
            ("Dr Test", True)
        ]
