"""API keys: required, revocable, and limited to their scopes."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.accounts.permissions import Scope
from aescrm.accounts.services import api_key_create, api_key_revoke
from aescrm.api.tests.helpers import assert_problem, booking, slot
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Appointment, Enquiry, Patient
from aescrm.testing.fixtures import ApiClient

pytestmark = pytest.mark.django_db


def _key(world: Any, *scopes: str) -> ApiClient:
    _, secret = api_key_create(clinic=world.clinic, name="limited", scopes=list(scopes))
    return ApiClient(secret)


def _all_but(*missing: str) -> list[str]:
    return [s.value for s in Scope if s.value not in missing]


@pytest.fixture
def patient_id(clinic_a: Any) -> str:
    return str(clinic_a.make_patient(first_name="Scoped", email="scoped@example.com").pk)


def test_a_key_without_patients_write_cannot_create_change_or_delete(
    clinic_a: Any, patient_id: str
) -> None:
    """403 naming the permission; the patient is unchanged and no new one exists."""
    reader = _key(clinic_a, *_all_but("patients:write"))
    url = f"/api/v1/patients/{patient_id}"

    created = reader.post("/api/v1/patients", {"first_name": "New", "email": "new@example.com"})
    changed = reader.patch(url, {"first_name": "Changed"})
    deleted = reader.delete(url)

    body = assert_problem(created, 403)
    assert body["detail"] == "your role or key does not allow patient.edit"
    assert_problem(changed, 403)
    assert_problem(deleted, 403)
    assert reader.get(url).status_code == 200
    with clinic_scope(clinic_a.clinic.pk):
        assert [(str(p.pk), p.first_name) for p in Patient.objects.all()] == [
            (patient_id, "Scoped")
        ]


@pytest.mark.parametrize(
    ("missing", "method", "path"),
    [
        ("patients:read", "get", "/api/v1/patients"),
        ("patients:read", "get", "/api/v1/patients/{patient}"),
        ("patients:read", "get", "/api/v1/patients/{patient}/timeline"),
        ("enquiries:read", "get", "/api/v1/enquiries"),
        ("catalogue:read", "get", "/api/v1/treatments"),
        ("catalogue:read", "get", "/api/v1/practitioners"),
        ("appointments:read", "get", "/api/v1/appointments"),
        ("appointments:read", "get", "/api/v1/appointments/{appointment}"),
        ("audit:read", "get", "/api/v1/audit"),
    ],
)
def test_each_read_needs_its_scope(
    clinic_a: Any, patient_id: str, missing: str, method: str, path: str
) -> None:
    """A key holding every other scope gets 403 on a read its scopes do not cover."""
    full = clinic_a.api()
    appointment = full.post("/api/v1/appointments", booking(clinic_a, patient_id, slot())).json()
    url = path.format(patient=patient_id, appointment=appointment["id"])
    limited = _key(clinic_a, *_all_but(missing))

    assert getattr(full, method)(url).status_code == 200
    assert_problem(getattr(limited, method)(url), 403)


def test_each_write_needs_its_scope(clinic_a: Any, patient_id: str) -> None:
    """Enquiry and appointment writes need their write scopes; nothing is created."""
    no_enquiry = _key(clinic_a, *_all_but("enquiries:write"))
    no_booking = _key(clinic_a, *_all_but("appointments:write"))
    appointment = (
        clinic_a.api().post("/api/v1/appointments", booking(clinic_a, patient_id, slot())).json()
    )

    enquiry = no_enquiry.post("/api/v1/enquiries", {"patient": patient_id, "channel": "chat"})
    booked = no_booking.post("/api/v1/appointments", booking(clinic_a, patient_id, slot(days=2)))
    moved = no_booking.patch(
        f"/api/v1/appointments/{appointment['id']}", {"starts_at": slot(days=3).isoformat()}
    )

    assert_problem(enquiry, 403)
    assert_problem(booked, 403)
    assert_problem(moved, 403)
    with clinic_scope(clinic_a.clinic.pk):
        assert Enquiry.objects.count() == 0
        assert list(Appointment.objects.values_list("starts_at", flat=True)) == [slot()]


def test_requests_without_a_valid_key_get_401(clinic_a: Any) -> None:
    """No key, an unknown key, and a revoked key: 401 with WWW-Authenticate."""
    key_row, secret = api_key_create(clinic=clinic_a.clinic, name="old", scopes=["patients:read"])
    assert ApiClient(secret).get("/api/v1/patients").status_code == 200
    api_key_revoke(key=key_row)

    for client in (ApiClient(""), ApiClient("aes_not-a-real-key"), ApiClient(secret)):
        response = client.get("/api/v1/patients")
        body = assert_problem(response, 401)
        assert response["WWW-Authenticate"] == "Bearer"
        assert body["title"] == "Unauthorised"
