"""Marketing needs SMS consent, service messages do not; restricted and number-less get nothing."""

from __future__ import annotations

import pytest

from aescrm.core.tenancy import clinic_scope
from aescrm.messaging import services
from aescrm.messaging.models import Message, Status
from aescrm.messaging.policy import MessageRefused
from aescrm.patients.models import Patient
from aescrm.testing.fixtures import ClinicWorld


def _queue(world: ClinicWorld, patient: Patient, kind: str) -> Message:
    with clinic_scope(world.clinic.pk):
        return services.message_queue(
            caller=world.caller(), patient=patient, body="Hello from the clinic", kind=kind
        )


def _refusal(world: ClinicWorld, patient: Patient, kind: str) -> str:
    with pytest.raises(MessageRefused) as info:
        _queue(world, patient, kind)
    with clinic_scope(world.clinic.pk):
        assert not Message.objects.filter(patient=patient).exists()
    return info.value.reason


def test_marketing_needs_sms_consent(clinic_a: ClinicWorld) -> None:
    patient = clinic_a.make_patient(phone="07700 900123")
    assert _refusal(clinic_a, patient, "marketing") == "no_consent"
    message = _queue(clinic_a, patient, "service")
    assert message.status == Status.QUEUED
    assert message.to_address == "+447700900123"


def test_marketing_goes_with_consent(clinic_a: ClinicWorld) -> None:
    patient = clinic_a.make_patient(phone="07700 900124", consent={"sms": True})
    message = _queue(clinic_a, patient, "marketing")
    assert (message.kind, message.status, message.segments, message.encoding) == (
        "marketing",
        "queued",
        1,
        "GSM-7",
    )
    assert message.cost_pence == 4


def test_restricted_patients_get_nothing(clinic_a: ClinicWorld) -> None:
    patient = clinic_a.make_patient(phone="07700 900125", consent={"sms": True})
    with clinic_scope(clinic_a.clinic.pk):
        patient.restricted = True
        patient.save()
    assert _refusal(clinic_a, patient, "service") == "restricted"
    assert _refusal(clinic_a, patient, "marketing") == "restricted"


def test_no_phone_is_refused(clinic_a: ClinicWorld) -> None:
    patient = clinic_a.make_patient(email="nophone@example.com")
    assert _refusal(clinic_a, patient, "service") == "no_phone"


def test_the_audit_log_holds_no_message_text(clinic_a: ClinicWorld) -> None:
    from aescrm.audit.models import AuditEntry

    patient = clinic_a.make_patient(phone="07700 900126")
    message = _queue(clinic_a, patient, "service")
    with clinic_scope(clinic_a.clinic.pk):
        entry = AuditEntry.objects.filter(action="message.queue", object_id=str(message.pk)).get()
    assert "Hello" not in str(entry.detail)
    assert "+4477" not in str(entry.detail)
