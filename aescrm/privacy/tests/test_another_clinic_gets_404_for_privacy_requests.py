"""Every privacy URL and API endpoint naming a request of clinic A answers 404 to clinic B
and changes nothing; clinic B's register never lists clinic A's requests."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.privacy.models import PrivacyRequest
from aescrm.privacy.tests.support import fresh, log_request, today
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_of_a(clinic_a: ClinicWorld) -> PrivacyRequest:
    patient = clinic_a.make_patient(first_name="Zebedee")
    return log_request(clinic_a, patient, requester_details="Zebedee by email")


def _state(world: ClinicWorld, request: PrivacyRequest) -> tuple[Any, ...]:
    now = fresh(world, request)
    return (
        now.status,
        now.identity_status,
        now.extended_until,
        now.notes,
        now.outcome,
        now.evidence_note,
        now.updated_at,
    )


def _nothing_of_a_in_b(clinic_b: ClinicWorld, request: PrivacyRequest) -> None:
    with clinic_scope(clinic_b.clinic.pk):
        assert PrivacyRequest.objects.count() == 0
        assert not AuditEntry.objects.filter(object_id=str(request.pk)).exists()


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/privacy/{r}/", {}),
        ("post", "/privacy/{r}/identity", {"result": "verified", "evidence_note": "x"}),
        ("post", "/privacy/{r}/extend", {"months": "2", "reason": "x", "person_told_on": "T"}),
        ("post", "/privacy/{r}/note", {"body": "from B"}),
        ("post", "/privacy/{r}/complete", {"outcome": "from B"}),
        ("post", "/privacy/{r}/refuse", {"reason": "from B"}),
        ("post", "/privacy/{r}/withdraw", {"note": "from B"}),
    ],
)
@pytest.mark.parametrize("role", ["owner", "manager", "auditor"])
def test_each_page_is_404_for_another_clinic(
    clinic_a: ClinicWorld,
    clinic_b: ClinicWorld,
    request_of_a: PrivacyRequest,
    role: str,
    method: str,
    path: str,
    data: dict[str, str],
) -> None:
    before = _state(clinic_a, request_of_a)
    data = {k: (today(clinic_b).isoformat() if v == "T" else v) for k, v in data.items()}

    response = getattr(member_client(clinic_b, role), method)(path.format(r=request_of_a.pk), data)

    # Auditors may not post at all (403); everyone else finds nothing (404).
    expected = 403 if role == "auditor" and method == "post" else 404
    assert response.status_code == expected
    assert "Zebedee" not in text(response)
    assert _state(clinic_a, request_of_a) == before
    _nothing_of_a_in_b(clinic_b, request_of_a)


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/api/v1/privacy/requests/{r}", None),
        (
            "post",
            "/api/v1/privacy/requests/{r}/verify-identity",
            {"result": "failed", "evidence_note": "x"},
        ),
        (
            "post",
            "/api/v1/privacy/requests/{r}/extend",
            {"months": 1, "reason": "x", "person_told_on": "T"},
        ),
        ("post", "/api/v1/privacy/requests/{r}/notes", {"body": "from B"}),
        ("post", "/api/v1/privacy/requests/{r}/complete", {"outcome": "from B"}),
        ("post", "/api/v1/privacy/requests/{r}/refuse", {"reason": "from B"}),
        ("post", "/api/v1/privacy/requests/{r}/withdraw", {"note": "from B"}),
    ],
)
def test_each_endpoint_is_404_for_another_clinics_key(
    clinic_a: ClinicWorld,
    clinic_b: ClinicWorld,
    request_of_a: PrivacyRequest,
    method: str,
    path: str,
    data: dict[str, Any] | None,
) -> None:
    before = _state(clinic_a, request_of_a)
    if data:
        data = {k: (today(clinic_b).isoformat() if v == "T" else v) for k, v in data.items()}

    response = getattr(clinic_b.api(), method)(path.format(r=request_of_a.pk), data)

    assert response.status_code == 404
    assert "Zebedee" not in text(response)
    assert _state(clinic_a, request_of_a) == before
    _nothing_of_a_in_b(clinic_b, request_of_a)


def test_clinic_bs_lists_show_nothing_of_clinic_a(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld, request_of_a: PrivacyRequest
) -> None:
    assert clinic_b.api().get("/api/v1/privacy/requests").json() == []
    page = member_client(clinic_b, "owner").get("/privacy/")
    assert page.status_code == 200 and str(request_of_a.pk) not in text(page)


def test_clinic_b_cannot_log_a_request_for_clinic_as_patient(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld
) -> None:
    patient = clinic_a.make_patient(first_name="Zebedee")
    payload = {
        "kind": "erasure",
        "patient": str(patient.pk),
        "received_on": today(clinic_b).isoformat(),
        "channel": "email",
    }
    response = clinic_b.api().post("/api/v1/privacy/requests", payload)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "patient"

    page = member_client(clinic_b, "owner").post(
        "/privacy/new", {**payload, "requester_details": ""}
    )
    assert page.status_code == 422 and "Zebedee" not in text(page)
    with clinic_scope(clinic_b.clinic.pk):
        assert PrivacyRequest.objects.count() == 0
    with clinic_scope(clinic_a.clinic.pk):
        assert PrivacyRequest.objects.count() == 0
