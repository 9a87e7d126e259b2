"""POST /api/v1/messages and GET /api/v1/messages/{id}: scopes, refusals, clinics, timeline."""

from __future__ import annotations

from aescrm.accounts.permissions import Scope
from aescrm.accounts.services import api_key_create
from aescrm.core.tenancy import clinic_scope
from aescrm.messaging.models import Message
from aescrm.testing.fixtures import ApiClient, ClinicWorld


def _key(world: ClinicWorld, *missing: str) -> ApiClient:
    scopes = [s.value for s in Scope if s.value not in missing]
    _, secret = api_key_create(clinic=world.clinic, name="limited", scopes=scopes)
    return ApiClient(secret)


def _count(world: ClinicWorld) -> int:
    with clinic_scope(world.clinic.pk):
        return Message.objects.count()


def test_it_queues_a_service_sms(clinic_a: ClinicWorld) -> None:
    patient = clinic_a.make_patient(phone="07700 900600")
    response = clinic_a.api().post(
        "/api/v1/messages",
        {
            "patient": str(patient.pk),
            "channel": "sms",
            "body": "See you at 10:00",
            "kind": "service",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "queued"
    assert (body["patient"], body["channel"], body["direction"], body["kind"]) == (
        str(patient.pk),
        "sms",
        "outbound",
        "service",
    )
    assert (body["body"], body["segments"], body["encoding"], body["cost_pence"]) == (
        "See you at 10:00",
        1,
        "GSM-7",
        4,
    )
    got = clinic_a.api().get(f"/api/v1/messages/{body['id']}")
    assert got.status_code == 200
    assert got.json()["id"] == body["id"]


def test_refusals_are_problem_details_with_a_reason(clinic_a: ClinicWorld) -> None:
    patient = clinic_a.make_patient(phone="07700 900601")
    response = clinic_a.api().post(
        "/api/v1/messages", {"patient": str(patient.pk), "body": "Offer", "kind": "marketing"}
    )
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["reason"] == "no_consent"
    assert "consented to marketing by SMS" in problem["detail"]
    no_phone = clinic_a.make_patient(email="mail-only@example.com")
    response = clinic_a.api().post(
        "/api/v1/messages", {"patient": str(no_phone.pk), "body": "Hi", "kind": "service"}
    )
    assert (response.status_code, response.json()["reason"]) == (422, "no_phone")
    bad = clinic_a.api().post(
        "/api/v1/messages", {"patient": str(patient.pk), "body": "Hi", "kind": "spam"}
    )
    assert bad.status_code == 422
    assert _count(clinic_a) == 0


def test_scopes_are_needed(clinic_a: ClinicWorld) -> None:
    patient = clinic_a.make_patient(phone="07700 900602")
    payload = {"patient": str(patient.pk), "body": "Hi", "kind": "service"}
    assert _key(clinic_a, "messages:write").post("/api/v1/messages", payload).status_code == 403
    assert _count(clinic_a) == 0
    created = clinic_a.api().post("/api/v1/messages", payload).json()
    assert (
        _key(clinic_a, "messages:read").get(f"/api/v1/messages/{created['id']}").status_code == 403
    )


def test_another_clinic_gets_404_and_changes_nothing(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld
) -> None:
    patient = clinic_a.make_patient(phone="07700 900603")
    created = (
        clinic_a.api()
        .post(
            "/api/v1/messages", {"patient": str(patient.pk), "body": "Private", "kind": "service"}
        )
        .json()
    )
    outsider = clinic_b.api()
    sent = outsider.post(
        "/api/v1/messages", {"patient": str(patient.pk), "body": "Hi", "kind": "service"}
    )
    read = outsider.get(f"/api/v1/messages/{created['id']}")
    timeline = outsider.get(f"/api/v1/patients/{patient.pk}/timeline")
    for response in (sent, read, timeline):
        assert response.status_code == 404
        assert "Private" not in response.content.decode()
    assert _count(clinic_a) == 1
    assert _count(clinic_b) == 0


def test_the_timeline_shows_messages_and_hides_bodies_from_marketers(
    clinic_a: ClinicWorld,
) -> None:
    patient = clinic_a.make_patient(phone="07700 900604")
    clinic_a.api().post(
        "/api/v1/messages", {"patient": str(patient.pk), "body": "Reminder text", "kind": "service"}
    )
    items = clinic_a.api().get(f"/api/v1/patients/{patient.pk}/timeline").json()
    (message,) = [i for i in items if i["type"] == "message"]
    assert (message["channel"], message["direction"], message["status"], message["body"]) == (
        "sms",
        "outbound",
        "queued",
        "Reminder text",
    )
    from aescrm.web.tests.support import member_client, text

    page = text(member_client(clinic_a, "receptionist").get(f"/patients/{patient.pk}/"))
    timeline = page.split('id="timeline"')[1]
    assert "SMS outbound" in timeline
    assert "Reminder text" in timeline
    page = text(member_client(clinic_a, "marketer").get(f"/patients/{patient.pk}/"))
    timeline = page.split('id="timeline"')[1]
    assert "SMS outbound" in timeline
    assert "Reminder text" not in timeline
