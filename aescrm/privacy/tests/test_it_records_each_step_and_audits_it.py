"""Logging, the identity check, notes, completion, refusal and withdrawal: each is recorded,
encrypted where it holds what someone wrote, and audited as privacy.request.*."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from aescrm.audit.models import AuditEntry
from aescrm.core.problems import Conflict, ValidationFailed
from aescrm.core.tenancy import clinic_scope
from aescrm.privacy import services
from aescrm.privacy.models import PrivacyRequest
from aescrm.privacy.selectors import open_requests_for_patient
from aescrm.privacy.tests.support import audit_actions, fresh, log_request, today
from aescrm.testing.fixtures import ClinicWorld

pytestmark = pytest.mark.django_db


def test_a_request_is_due_a_calendar_month_after_receipt(clinic_a: ClinicWorld) -> None:
    received = today(clinic_a) - dt.timedelta(days=2)
    request = log_request(
        clinic_a, clinic_a.make_patient(), received_on=received, requester_details="Jo Bloggs"
    )
    assert request.due_on == services.deadlines.due_date(received)
    assert request.status == "open" and request.identity_status == "not_started"
    assert audit_actions(clinic_a, request) == ["privacy.request.create"]


def test_personal_text_is_stored_encrypted(clinic_a: ClinicWorld) -> None:
    request = log_request(
        clinic_a, None, requester_details="Jo Bloggs, 07700 900123", notes="Asked by letter"
    )
    # Raw SQL, as a backup or a database reader would see the row (RLS still applies).
    with clinic_scope(clinic_a.clinic.pk), connection.cursor() as cursor:
        cursor.execute(
            "SELECT requester_details, notes FROM privacy_privacyrequest WHERE id = %s",
            [request.pk.hex if connection.vendor == "sqlite" else str(request.pk)],
        )
        stored = b"".join(bytes(v) for v in cursor.fetchone())
    assert b"Bloggs" not in stored and b"letter" not in stored
    assert "Jo Bloggs" in fresh(clinic_a, request).requester_details


def test_the_audit_names_fields_never_what_was_written(clinic_a: ClinicWorld) -> None:
    request = log_request(clinic_a, None, requester_details="Jo Bloggs", notes="Secret detail")
    with clinic_scope(clinic_a.clinic.pk):
        detail = str(AuditEntry.objects.get(object_id=str(request.pk)).detail)
    assert "Bloggs" not in detail and "Secret" not in detail
    assert "requester_details" in detail


def test_without_a_patient_the_requester_must_be_described(clinic_a: ClinicWorld) -> None:
    with pytest.raises(ValidationFailed) as error:
        log_request(clinic_a, None)
    assert error.value.field == "patient"


def test_a_request_cannot_be_received_tomorrow(clinic_a: ClinicWorld) -> None:
    with pytest.raises(ValidationFailed) as error:
        log_request(
            clinic_a, clinic_a.make_patient(), received_on=today(clinic_a) + dt.timedelta(days=1)
        )
    assert error.value.field == "received_on"


def test_identity_steps_move_the_status(clinic_a: ClinicWorld) -> None:
    request = log_request(clinic_a, clinic_a.make_patient())
    caller = clinic_a.caller("manager")
    with clinic_scope(clinic_a.clinic.pk):
        services.privacy_request_identity(
            caller=caller, request=request, result="evidence_requested"
        )
        assert fresh(clinic_a, request).status == "awaiting_identity"
        with pytest.raises(ValidationFailed) as error:
            services.privacy_request_identity(caller=caller, request=request, result="verified")
        assert error.value.field == "evidence_note"
        services.privacy_request_identity(
            caller=caller, request=request, result="verified", evidence_note="Passport seen"
        )
    now = fresh(clinic_a, request)
    assert now.status == "in_progress" and now.identity_status == "verified"
    assert now.verified_by_id == clinic_a.users["manager"].pk and now.verified_at is not None
    assert "Passport seen" in now.evidence_note
    assert audit_actions(clinic_a, request)[-2:] == [
        "privacy.request.identity",
        "privacy.request.identity",
    ]


def test_completion_needs_a_verified_identity_and_an_outcome(clinic_a: ClinicWorld) -> None:
    request = log_request(clinic_a, clinic_a.make_patient())
    caller = clinic_a.caller()
    with clinic_scope(clinic_a.clinic.pk):
        with pytest.raises(Conflict) as unverified:
            services.privacy_request_complete(caller=caller, request=request, outcome="Sent")
        assert unverified.value.field == "identity_status"
    request = log_request(clinic_a, clinic_a.make_patient(), verified=True)
    with clinic_scope(clinic_a.clinic.pk):
        with pytest.raises(ValidationFailed) as empty:
            services.privacy_request_complete(caller=caller, request=request, outcome=" ")
        assert empty.value.field == "outcome"
        services.privacy_request_complete(
            caller=caller, request=request, outcome="Copy of the record sent by secure email"
        )
        with pytest.raises(Conflict):
            services.privacy_request_complete(caller=caller, request=request, outcome="Again")
    now = fresh(clinic_a, request)
    assert now.status == "completed" and now.completed_by_id == clinic_a.users["owner"].pk
    assert now.outcome == "Copy of the record sent by secure email"
    assert audit_actions(clinic_a, request)[-1] == "privacy.request.complete"


def test_refuse_withdraw_and_notes(clinic_a: ClinicWorld) -> None:
    refused = log_request(clinic_a, clinic_a.make_patient())
    withdrawn = log_request(clinic_a, clinic_a.make_patient())
    caller = clinic_a.caller()
    with clinic_scope(clinic_a.clinic.pk):
        with pytest.raises(ValidationFailed) as error:
            services.privacy_request_refuse(caller=caller, request=refused, reason="")
        assert error.value.field == "reason"
        services.privacy_request_refuse(
            caller=caller, request=refused, reason="Identity could not be confirmed"
        )
        services.privacy_request_withdraw(caller=caller, request=withdrawn, note="Phoned us")
        services.privacy_request_note(caller=caller, request=withdrawn, body="Confirmed by email")
    assert fresh(clinic_a, refused).status == "refused"
    notes = fresh(clinic_a, withdrawn).notes
    assert "Withdrawn: Phoned us" in notes and "Confirmed by email" in notes
    assert "owner@alpha.test" in notes
    assert audit_actions(clinic_a, refused)[-1] == "privacy.request.refuse"
    assert audit_actions(clinic_a, withdrawn)[-2:] == [
        "privacy.request.withdraw",
        "privacy.request.note",
    ]


def test_open_requests_for_patient_lists_only_theirs_still_open(clinic_a: ClinicWorld) -> None:
    patient = clinic_a.make_patient()
    later = log_request(clinic_a, patient, kind="erasure")
    sooner = log_request(
        clinic_a, patient, kind="access", received_on=today(clinic_a) - dt.timedelta(days=5)
    )
    closed = log_request(clinic_a, patient, kind="objection")
    log_request(clinic_a, clinic_a.make_patient())
    with clinic_scope(clinic_a.clinic.pk):
        services.privacy_request_withdraw(caller=clinic_a.caller(), request=closed)
        assert [r.pk for r in open_requests_for_patient(patient)] == [sooner.pk, later.pk]


def test_the_register_keeps_the_request_when_the_patient_is_deleted(
    clinic_a: ClinicWorld,
) -> None:
    patient = clinic_a.make_patient()
    request = log_request(clinic_a, patient, kind="erasure", verified=True)
    from aescrm.patients.services import patient_delete

    with clinic_scope(clinic_a.clinic.pk):
        patient_delete(caller=clinic_a.caller(), patient=patient)
        services.privacy_request_complete(
            caller=clinic_a.caller(), request=request, outcome="Record erased"
        )
        assert PrivacyRequest.objects.filter(pk=request.pk, patient__isnull=True).exists()
