"""POST/GET /api/v1/privacy/requests, GET …/{id}, verify-identity, extend and complete:
the ICO due date, soonest deadline first, filters, problem details naming the field, audit."""

from __future__ import annotations

import datetime as dt

import pytest

from aescrm.accounts.services import api_key_create
from aescrm.core.tenancy import clinic_scope
from aescrm.privacy.deadlines import due_date, extended_due_date
from aescrm.privacy.models import PrivacyRequest
from aescrm.privacy.tests.support import audit_actions, fresh, log_request, set_deadline, today
from aescrm.testing.fixtures import ApiClient, ClinicWorld

pytestmark = pytest.mark.django_db
URL = "/api/v1/privacy/requests"


def test_create_computes_the_due_date_and_audits(clinic_a: ClinicWorld) -> None:
    patient = clinic_a.make_patient(first_name="Ada")
    received = today(clinic_a) - dt.timedelta(days=1)

    response = clinic_a.api().post(
        URL,
        {
            "kind": "access",
            "patient": str(patient.pk),
            "received_on": received.isoformat(),
            "channel": "email",
            "requester_details": "Ada, by email",
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["due_on"] == due_date(received).isoformat() == body["deadline"]
    assert body["status"] == "open" and body["identity_status"] == "not_started"
    assert body["patient"] == str(patient.pk) and body["patient_name"] == "Ada Patient"
    assert body["requester_details"] == "Ada, by email"
    assert audit_actions(clinic_a, fresh_from(clinic_a, body["id"])) == ["privacy.request.create"]


def fresh_from(world: ClinicWorld, request_id: str) -> PrivacyRequest:
    with clinic_scope(world.clinic.pk):
        return PrivacyRequest.objects.get(pk=request_id)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "deletion"}, "kind"),
        ({"channel": "pigeon"}, "channel"),
        ({"received_on": "2026-02-30"}, "received_on"),
        ({"patient": None, "requester_details": None}, "patient"),
        ({"patient": "00000000-0000-0000-0000-000000000000"}, "patient"),
    ],
)
def test_bad_input_is_a_problem_naming_the_field(
    clinic_a: ClinicWorld, change: dict[str, object], field: str
) -> None:
    patient = clinic_a.make_patient()
    payload = {
        "kind": "access",
        "patient": str(patient.pk),
        "received_on": today(clinic_a).isoformat(),
        "channel": "phone",
        **change,
    }
    response = clinic_a.api().post(URL, payload)
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == field


def test_list_is_soonest_deadline_first_and_filters(clinic_a: ClinicWorld) -> None:
    late = log_request(clinic_a, clinic_a.make_patient(), kind="erasure")
    soon = log_request(clinic_a, clinic_a.make_patient(), kind="access")
    overdue = log_request(clinic_a, clinic_a.make_patient(), kind="access")
    set_deadline(clinic_a, late, 20)
    set_deadline(clinic_a, soon, 3)
    set_deadline(clinic_a, overdue, -2)

    rows = clinic_a.api().get(URL).json()
    assert [r["id"] for r in rows] == [str(overdue.pk), str(soon.pk), str(late.pk)]
    assert [r["warning"] for r in rows] == ["Overdue by 2 days", "Due in 3 days", None]
    assert [r["days_left"] for r in rows] == [-2, 3, 20]

    access = clinic_a.api().get(URL, {"kind": "access"}).json()
    assert {r["id"] for r in access} == {str(soon.pk), str(overdue.pk)}
    assert clinic_a.api().get(URL, {"status": "completed"}).json() == []
    bad = clinic_a.api().get(URL, {"status": "done"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "status"


def test_get_verify_extend_and_complete(clinic_a: ClinicWorld) -> None:
    received = today(clinic_a) - dt.timedelta(days=4)
    request = log_request(clinic_a, clinic_a.make_patient(), received_on=received)
    api = clinic_a.api()
    one = f"{URL}/{request.pk}"

    assert api.get(one).json()["id"] == str(request.pk)

    unverified = api.post(f"{one}/complete", {"outcome": "Sent"})
    assert unverified.status_code == 409
    assert unverified.json()["errors"][0]["field"] == "identity_status"

    verified = api.post(
        f"{one}/verify-identity", {"result": "verified", "evidence_note": "Driving licence seen"}
    )
    assert verified.status_code == 200 and verified.json()["status"] == "in_progress"

    no_date = api.post(f"{one}/extend", {"months": 2, "reason": "Numerous records"})
    assert no_date.status_code == 422
    assert no_date.json()["errors"][0]["field"] == "person_told_on"
    too_long = api.post(
        f"{one}/extend",
        {"months": 3, "reason": "Numerous records", "person_told_on": today(clinic_a).isoformat()},
    )
    assert too_long.status_code == 422 and too_long.json()["errors"][0]["field"] == "months"
    extended = api.post(
        f"{one}/extend",
        {"months": 2, "reason": "Numerous records", "person_told_on": today(clinic_a).isoformat()},
    )
    assert extended.status_code == 200
    assert extended.json()["deadline"] == extended_due_date(received, 2).isoformat()

    no_outcome = api.post(f"{one}/complete", {})
    assert no_outcome.status_code == 422
    assert no_outcome.json()["errors"][0]["field"] == "outcome"
    done = api.post(f"{one}/complete", {"outcome": "Copy sent by secure email"})
    assert done.status_code == 200
    assert done.json()["status"] == "completed" and done.json()["completed_at"]
    assert fresh(clinic_a, request).outcome == "Copy sent by secure email"
    assert audit_actions(clinic_a, request) == [
        "privacy.request.create",
        "privacy.request.read",
        "privacy.request.identity",
        "privacy.request.extend",
        "privacy.request.complete",
    ]


def test_names_and_what_was_written_need_patients_read(clinic_a: ClinicWorld) -> None:
    log_request(clinic_a, clinic_a.make_patient(), requester_details="Jo Bloggs")
    _, key = api_key_create(clinic=clinic_a.clinic, name="privacy only", scopes=["privacy:read"])

    rows = ApiClient(key).get(URL).json()

    assert rows[0]["patient_name"] is None and rows[0]["requester_details"] is None
    assert rows[0]["kind"] == "access"


def test_keys_without_the_privacy_scopes_are_refused(clinic_a: ClinicWorld) -> None:
    request = log_request(clinic_a, clinic_a.make_patient(), verified=True)
    _, reader = api_key_create(clinic=clinic_a.clinic, name="r", scopes=["privacy:read"])
    _, other = api_key_create(clinic=clinic_a.clinic, name="p", scopes=["patients:read"])

    assert ApiClient(other).get(URL).status_code == 403
    assert ApiClient(reader).get(URL).status_code == 200
    refused = ApiClient(reader).post(f"{URL}/{request.pk}/complete", {"outcome": "Done"})
    assert refused.status_code == 403
    assert fresh(clinic_a, request).status == "in_progress"
