"""A cancelled clinic's staff and API keys read everything; every change is refused with the
reason and the way back to billing, and nothing is written. What must still work does: exports,
the privacy register, signing out. Another clinic is not affected."""

from __future__ import annotations

import datetime as dt

import pytest

from aescrm.audit.models import AuditEntry
from aescrm.billing.tests.support import subscribe
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Patient
from aescrm.privacy.models import PrivacyRequest
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db

NEW_PATIENT = {"first_name": "Zebedee", "last_name": "Quixotic", "email": "zeb@example.org"}
ENDED = "subscription has ended"


def _patients(world: ClinicWorld) -> int:
    with clinic_scope(world.clinic.pk):
        return Patient.objects.count()


def test_staff_read_every_page_but_a_new_patient_is_refused_with_the_reason(
    clinic_a: ClinicWorld,
) -> None:
    patient = clinic_a.make_patient(first_name="Ada", phone="07700 900111")
    subscribe(clinic_a, "canceled")
    client = member_client(clinic_a, "receptionist")

    for page in ("/", "/patients/", f"/patients/{patient.pk}/", "/patients/new", "/outbox/"):
        assert client.get(page).status_code == 200, page

    response = client.post("/patients/new", NEW_PATIENT)

    assert response.status_code == 403
    page = text(response)
    assert "This account is read-only" in page
    assert ENDED in page
    assert 'href="/settings/billing"' in page
    assert _patients(clinic_a) == 1
    with clinic_scope(clinic_a.clinic.pk):
        assert (
            not AuditEntry.objects.filter(action="patient.create")
            .exclude(object_id=str(patient.pk))
            .exists()
        )


def test_the_owner_is_sent_to_billing_and_to_the_export(clinic_a: ClinicWorld) -> None:
    subscribe(clinic_a, "canceled")
    page = text(member_client(clinic_a, "owner").post("/patients/new", NEW_PATIENT))

    assert '<a href="/settings/billing">Go to billing</a>' in page
    assert 'href="/settings/export"' in page


def test_the_api_reads_but_refuses_a_change_with_problem_details(clinic_a: ClinicWorld) -> None:
    clinic_a.make_patient(first_name="Ada")
    subscribe(clinic_a, "canceled")
    api = clinic_a.api()

    listed = api.get("/api/v1/patients")
    created = api.post("/api/v1/patients", NEW_PATIENT)

    assert listed.status_code == 200
    assert len(listed.json()["items"]) == 1
    assert created.status_code == 403
    assert created["Content-Type"] == "application/problem+json"
    body = created.json()
    assert body["type"] == "https://aescrm.example/problems/account-read-only"
    assert body["title"] == "Account read-only"
    assert body["account_status"] == "canceled"
    assert body["billing_url"] == "/settings/billing"
    assert ENDED in body["detail"]
    assert _patients(clinic_a) == 1


def test_privacy_rights_and_exports_still_work(clinic_a: ClinicWorld) -> None:
    patient = clinic_a.make_patient(first_name="Ada")
    subscribe(clinic_a, "canceled")

    logged = clinic_a.api().post(
        "/api/v1/privacy/requests",
        {
            "kind": "access",
            "patient": str(patient.pk),
            "received_on": str(dt.date.today()),
            "channel": "email",
        },
    )
    exported = member_client(clinic_a, "manager").post(f"/patients/{patient.pk}/export", {})
    audit_csv = member_client(clinic_a, "manager").get("/audit/export.csv")

    assert logged.status_code == 201, logged.content
    assert exported.status_code == 302
    assert audit_csv.status_code == 200
    with clinic_scope(clinic_a.clinic.pk):
        assert PrivacyRequest.objects.count() == 1


def test_signing_out_still_works(clinic_a: ClinicWorld) -> None:
    subscribe(clinic_a, "canceled")
    client = member_client(clinic_a, "receptionist")

    assert client.post("/sign-out").status_code == 302
    assert client.get("/patients/").status_code == 302  # to the sign-in page


def test_another_clinic_keeps_full_service(clinic_a: ClinicWorld, clinic_b: ClinicWorld) -> None:
    subscribe(clinic_a, "canceled")
    subscribe(clinic_b, "active")

    page = member_client(clinic_b, "receptionist").post("/patients/new", NEW_PATIENT)
    api = clinic_b.api().post("/api/v1/patients", {**NEW_PATIENT, "email": "z2@example.org"})

    assert page.status_code == 302
    assert api.status_code == 201
    assert _patients(clinic_b) == 2
    assert _patients(clinic_a) == 0


@pytest.mark.parametrize("status", ["trialing", "active"])
def test_trialing_and_active_clinics_change_things(clinic_a: ClinicWorld, status: str) -> None:
    subscribe(clinic_a, status)

    assert (
        member_client(clinic_a, "receptionist").post("/patients/new", NEW_PATIENT).status_code
        == 302
    )
    assert _patients(clinic_a) == 1
