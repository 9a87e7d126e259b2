"""POST /api/v1/messages with channel "email": queued (201) or refused (422 with a reason)."""

from __future__ import annotations

from aescrm.core.tenancy import clinic_scope
from aescrm.mail.models import EmailDetail
from aescrm.mail.suppression import suppress
from aescrm.messaging.models import Message
from aescrm.patients import services as patient_services
from aescrm.testing.fixtures import ClinicWorld


def _count(world: ClinicWorld) -> int:
    with clinic_scope(world.clinic.pk):
        return Message.objects.count()


def _post(world: ClinicWorld, patient_id: object, **fields: str) -> object:
    payload = {"patient": str(patient_id), "channel": "email", "body": "Hello", **fields}
    return world.api().post("/api/v1/messages", payload)


def test_it_queues_an_email_with_a_subject(clinic_a: ClinicWorld) -> None:
    patient = clinic_a.make_patient(email="jane@example.com")
    response = _post(clinic_a, patient.pk, body="See you soon", subject="Your visit")
    assert response.status_code == 201, response.content  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert (body["channel"], body["status"], body["body"], body["subject"]) == (
        "email",
        "queued",
        "See you soon",
        "Your visit",
    )
    assert (body["segments"], body["cost_pence"]) == (0, 0)
    with clinic_scope(clinic_a.clinic.pk):
        message = Message.objects.get(pk=body["id"])
        assert str(message.to_address) == "jane@example.com"
        assert EmailDetail.objects.get(message=message).subject == "Your visit"


def test_the_subject_defaults_to_the_clinics_name(clinic_a: ClinicWorld) -> None:
    patient = clinic_a.make_patient(email="default@example.com")
    response = _post(clinic_a, patient.pk)
    assert response.status_code == 201  # type: ignore[attr-defined]
    assert response.json()["subject"] == "Message from Alpha Dental"  # type: ignore[attr-defined]


def test_refusals_name_the_reason(clinic_a: ClinicWorld) -> None:
    no_consent = clinic_a.make_patient(email="nc@example.com")
    no_email = clinic_a.make_patient(phone="07700 900700")
    restricted = clinic_a.make_patient(email="r@example.com", restricted=True)
    bounced = clinic_a.make_patient(email="Bounced@example.com", consent={"email": True})
    with clinic_scope(clinic_a.clinic.pk):
        suppress("bounced@example.com", reason="hard_bounce")
    cases = [
        (no_consent, "marketing", "no_consent", "marketing by email"),
        (no_email, "service", "no_email", "no email address"),
        (restricted, "service", "restricted", "restricted"),
        (bounced, "marketing", "suppressed", "suppressed"),
        (bounced, "service", "suppressed", "suppressed"),
    ]
    for patient, kind, reason, words in cases:
        response = _post(clinic_a, patient.pk, kind=kind)
        assert response.status_code == 422, (reason, response.content)  # type: ignore[attr-defined]
        problem = response.json()  # type: ignore[attr-defined]
        assert problem["reason"] == reason
        assert words in problem["detail"]
    assert _count(clinic_a) == 0


def test_marketing_email_needs_email_consent_not_sms(clinic_a: ClinicWorld) -> None:
    sms_only = clinic_a.make_patient(email="sms-only@example.com", consent={"sms": True})
    assert _post(clinic_a, sms_only.pk, kind="marketing").status_code == 422  # type: ignore[attr-defined]
    with clinic_scope(clinic_a.clinic.pk):
        patient_services.patient_update(
            caller=clinic_a.caller(),
            patient=sms_only,
            data=patient_services.PatientInput(consent={"email": True}),
        )
    assert _post(clinic_a, sms_only.pk, kind="marketing").status_code == 201  # type: ignore[attr-defined]


def test_a_too_long_subject_is_refused(clinic_a: ClinicWorld) -> None:
    patient = clinic_a.make_patient(email="long@example.com")
    response = _post(clinic_a, patient.pk, subject="x" * 201)
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "subject" in response.json()["detail"]  # type: ignore[attr-defined]
    assert _count(clinic_a) == 0


def test_another_clinic_gets_404_and_changes_nothing(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld
) -> None:
    patient = clinic_a.make_patient(email="private@example.com")
    response = clinic_b.api().post(
        "/api/v1/messages", {"patient": str(patient.pk), "channel": "email", "body": "Hi"}
    )
    assert response.status_code == 404
    assert _count(clinic_a) == 0
    assert _count(clinic_b) == 0
