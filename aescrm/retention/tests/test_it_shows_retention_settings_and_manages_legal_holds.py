"""Settings → Retention shows the policies, the last run and the holds; managers place and
lift holds (the clinic's here, a patient's from their record), each audited."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.retention.engine import apply_retention
from aescrm.retention.models import LegalHold, RetentionPolicy
from aescrm.retention.services import active_hold
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db


def test_the_page_lists_policies_and_the_last_run(clinic_a: Any) -> None:
    apply_retention(dry_run=False, clinic_slug="alpha")
    page = text(member_client(clinic_a, "auditor").get("/settings/retention"))

    assert "Attribution touches" in page and "2 years" in page
    assert "Audit log entries" in page and "7 years" in page
    assert "At least 6 years: Financial and account records" in page
    assert "Anonymous website chats" in page and "30 days" in page
    assert "Last run" in page and "attribution touches older than 2 years" in page
    assert "Place clinic hold" not in page  # auditors only read


def test_a_manager_places_and_lifts_a_clinic_hold(clinic_a: Any) -> None:
    client = member_client(clinic_a, "manager")

    placed = client.post("/settings/retention/hold", {"reason": "ICO inquiry 2026/117"})
    page = text(client.get("/settings/retention"))

    assert placed.status_code == 302
    assert "The whole clinic" in page and "ICO inquiry 2026/117" in page
    with clinic_scope(clinic_a.clinic.pk):
        hold = LegalHold.objects.get()
        patient = clinic_a.make_patient()
        assert active_hold(patient) == hold
        entry = AuditEntry.objects.get(action="legal_hold.place")
        assert entry.detail == {"scope": "clinic", "patient_id": ""}

    client.post(f"/settings/retention/holds/{hold.pk}/lift", {"lift_reason": "Inquiry closed"})

    with clinic_scope(clinic_a.clinic.pk):
        hold.refresh_from_db()
        assert hold.lifted_at is not None and hold.lift_reason == "Inquiry closed"
        assert active_hold(patient) is None
        assert AuditEntry.objects.filter(action="legal_hold.lift").count() == 1


def test_a_hold_needs_a_reason(clinic_a: Any) -> None:
    response = member_client(clinic_a, "owner").post("/settings/retention/hold", {"reason": " "})

    assert response.status_code == 422
    assert "This field is required." in text(response)
    with clinic_scope(clinic_a.clinic.pk):
        assert not LegalHold.objects.exists()


def test_a_patients_hold_is_placed_from_their_record(clinic_a: Any) -> None:
    patient = clinic_a.make_patient(first_name="Dana")
    client = member_client(clinic_a, "manager")

    record = text(client.get(f"/patients/{patient.pk}/"))
    assert "Legal hold" in record
    client.post(f"/patients/{patient.pk}/legal-hold", {"reason": "Complaint to the GDC"})
    again = client.post(f"/patients/{patient.pk}/legal-hold", {"reason": "Twice"})

    assert again.status_code == 422
    assert "already under a legal hold" in text(again)
    assert "Under a legal hold" in text(client.get(f"/patients/{patient.pk}/"))
    with clinic_scope(clinic_a.clinic.pk):
        hold = LegalHold.objects.get()
        assert (hold.patient_id, hold.reason) == (patient.pk, "Complaint to the GDC")
        assert AuditEntry.objects.get(action="legal_hold.place").detail["patient_id"] == str(
            patient.pk
        )


def test_a_period_may_be_lengthened_but_not_cut_below_its_minimum(clinic_a: Any) -> None:
    client = member_client(clinic_a, "owner")

    client.post("/settings/retention/policies/attribution", {"months": "36"})
    refused = client.post("/settings/retention/policies/audit", {"months": "12"}, follow=True)

    assert "Audit log entries must be kept at least 84 months" in text(refused)
    with clinic_scope(clinic_a.clinic.pk):
        assert list(RetentionPolicy.objects.values_list("category", "months")) == [
            ("attribution", 36)
        ]
    (report,) = apply_retention(dry_run=True, clinic_slug="alpha")
    assert report.results[0].why.startswith("attribution touches older than 3 years")


def test_receptionists_and_marketers_cannot_place_holds(clinic_a: Any) -> None:
    patient = clinic_a.make_patient()
    for role in ("receptionist", "marketer"):
        client = member_client(clinic_a, role)
        assert client.post("/settings/retention/hold", {"reason": "x"}).status_code == 403
        assert client.get("/settings/retention").status_code == 403
    with clinic_scope(clinic_a.clinic.pk):
        assert not LegalHold.objects.exists()
        assert patient.pk
