"""A legal hold stops an erasure, with its reason; the privacy register keeps the request
(without the person) as proof it was answered."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aescrm.core.tenancy import clinic_scope
from aescrm.erasure.plan import plan_erasure
from aescrm.erasure.services import ErasureHeld, erase_patient
from aescrm.keyvault.models import PatientKey
from aescrm.patients.models import Patient
from aescrm.privacy.models import PrivacyRequest
from aescrm.privacy.services import privacy_request_create, privacy_request_identity
from aescrm.retention.models import LegalHold
from aescrm.retention.services import legal_hold_lift, legal_hold_place
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client

pytestmark = pytest.mark.django_db


def test_a_legal_hold_blocks_the_erasure_until_it_is_lifted(clinic_a: ClinicWorld) -> None:
    patient = clinic_a.make_patient(first_name="Held", email="held@example.org")
    with clinic_scope(clinic_a.clinic.pk):
        hold = legal_hold_place(
            caller=clinic_a.caller(), patient=patient, reason="Solicitor's letter of claim"
        )
        plan = plan_erasure(patient)
        assert plan.held is not None and "Solicitor's letter of claim" in plan.held
        with pytest.raises(ErasureHeld, match="legal hold"):
            erase_patient(patient, by=clinic_a.caller("manager"), reason="asked")
        assert Patient.objects.get(pk=patient.pk).first_name == "Held"

        legal_hold_lift(caller=clinic_a.caller(), hold_id=hold.pk, reason="Claim settled")
        assert plan_erasure(patient).held is None
        erase_patient(patient, by=clinic_a.caller("manager"), reason="asked")
        assert not Patient.objects.filter(pk=patient.pk).exists()
        assert not LegalHold.objects.filter(pk=hold.pk).exists()  # its audit entries stay


def test_a_whole_clinic_hold_blocks_every_erasure(clinic_a: ClinicWorld) -> None:
    patient = clinic_a.make_patient(first_name="Anyone")
    with clinic_scope(clinic_a.clinic.pk):
        legal_hold_place(caller=clinic_a.caller(), patient=None, reason="ICO investigation")
        with pytest.raises(ErasureHeld, match="the whole clinic"):
            erase_patient(patient, by=clinic_a.caller("manager"), reason="asked")


def test_the_erasure_request_stays_in_the_register_without_the_person(
    clinic_a: ClinicWorld, django_capture_on_commit_callbacks: Any
) -> None:
    patient = clinic_a.make_patient(first_name="Gone", email="gone@example.org")
    with clinic_scope(clinic_a.clinic.pk):
        request = privacy_request_create(
            caller=clinic_a.caller(),
            kind="erasure",
            received_on=dt.date(2026, 11, 20),
            channel="email",
            patient=patient,
            requester_details="Gone Person, gone@example.org",
        )
        with django_capture_on_commit_callbacks(execute=True):
            erasure = erase_patient(
                patient,
                by=clinic_a.caller("manager"),
                reason="asked",
                privacy_request_id=request.pk,
            )

        kept = PrivacyRequest.objects.get(pk=request.pk)
        assert (kept.kind, kept.received_on, kept.due_on) == (
            "erasure",
            dt.date(2026, 11, 20),
            dt.date(2026, 12, 20),
        )
        assert kept.patient_id is None and kept.requester_details is None
        # Nothing else had to stay, so no empty patient row is left behind...
        assert not erasure.tombstone
        assert not Patient.objects.filter(pk=patient.pk).exists()
        assert erasure.kept == {"privacy_requests": 1}
    # ... and the person's key is destroyed.
    assert PatientKey.objects.get(patient_id=patient.pk).destroyed_at is not None


def test_erasing_from_the_register_completes_the_request(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld, django_capture_on_commit_callbacks: Any
) -> None:
    """Register → "See what erasure removes" → confirm: the request closes, saying what was done."""
    patient = clinic_a.make_patient(first_name="Ffion", last_name="Hughes")
    with clinic_scope(clinic_a.clinic.pk):
        request = privacy_request_create(
            caller=clinic_a.caller(),
            kind="erasure",
            received_on=dt.date(2026, 11, 20),
            channel="email",
            patient=patient,
        )
        privacy_request_identity(
            caller=clinic_a.caller(),
            request=request,
            result="verified",
            evidence_note="Replied from the email on record",
        )
    manager = member_client(clinic_a, "manager")
    page = manager.get(f"/privacy/{request.pk}/").content.decode()
    plan_url = f"/patients/{patient.pk}/erase?request={request.pk}"
    assert plan_url.replace("&", "&amp;") in page

    # Someone from another clinic naming this request changes nothing here.
    outsider = member_client(clinic_b, "owner")
    assert outsider.get(plan_url).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(plan_url, {"reason": "asked", "confirm": "Ffion Hughes"})
    assert response.status_code == 302, response.content
    with clinic_scope(clinic_a.clinic.pk):
        closed = PrivacyRequest.objects.get(pk=request.pk)
        assert closed.status == "completed"
        assert closed.outcome.startswith("Erased: ")
        assert "key destroyed" in closed.outcome
        assert not Patient.objects.filter(pk=patient.pk).exists()
