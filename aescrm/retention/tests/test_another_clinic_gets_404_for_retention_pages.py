"""A member of clinic B gets 404 for clinic A's holds and patients, and nothing changes."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.retention.models import LegalHold
from aescrm.retention.services import legal_hold_place
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["owner", "manager"])
def test_clinic_a_holds_and_patients_are_404_to_clinic_b(
    clinic_a: Any, clinic_b: Any, role: str
) -> None:
    patient = clinic_a.make_patient(first_name="Private")
    with clinic_scope(clinic_a.clinic.pk):
        hold = legal_hold_place(caller=clinic_a.caller(), patient=patient, reason="Claim A-1")
    outsider = member_client(clinic_b, role)

    responses = {
        "patient hold page": outsider.get(f"/patients/{patient.pk}/legal-hold"),
        "place on patient": outsider.post(
            f"/patients/{patient.pk}/legal-hold", {"reason": "Hijack"}
        ),
        "lift": outsider.post(f"/settings/retention/holds/{hold.pk}/lift", {"lift_reason": "x"}),
    }
    own_page = text(outsider.get("/settings/retention"))

    assert {k: r.status_code for k, r in responses.items()} == dict.fromkeys(responses, 404)
    assert "Claim A-1" not in own_page and "Private" not in own_page
    with clinic_scope(clinic_a.clinic.pk):
        fresh = LegalHold.objects.get(pk=hold.pk)
        assert (fresh.lifted_at, LegalHold.objects.count()) == (None, 1)
    with clinic_scope(clinic_b.clinic.pk):
        assert not LegalHold.objects.exists()
        assert not AuditEntry.objects.filter(action__startswith="legal_hold").exists()
