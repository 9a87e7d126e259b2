"""From the patient record to a completed request: log it with the patient chosen, check
identity, extend, note and complete, with errors shown against their fields."""

from __future__ import annotations

import datetime as dt

import pytest

from aescrm.core.tenancy import clinic_scope
from aescrm.privacy.deadlines import due_date, extended_due_date
from aescrm.privacy.models import PrivacyRequest
from aescrm.privacy.tests.support import audit_actions, fresh, today
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db


def test_log_and_complete_a_request_from_the_patient_record(clinic_a: ClinicWorld) -> None:
    patient = clinic_a.make_patient(first_name="Grace", last_name="Hopper")
    client = member_client(clinic_a, "manager")

    record = text(client.get(f"/patients/{patient.pk}/"))
    link = f"/privacy/new?patient={patient.pk}"
    assert f'href="{link}"' in record and "Log a privacy request" in record
    form = client.get(link)
    assert form.status_code == 200 and "Grace Hopper" in text(form)

    received = today(clinic_a) - dt.timedelta(days=3)
    created = client.post(
        "/privacy/new",
        {
            "patient": str(patient.pk),
            "kind": "access",
            "received_on": received.isoformat(),
            "channel": "in_person",
            "requester_details": "",
        },
    )
    assert created.status_code == 302
    with clinic_scope(clinic_a.clinic.pk):
        request = PrivacyRequest.objects.get(patient=patient)
    assert created["Location"] == f"/privacy/{request.pk}/"
    assert request.due_on == due_date(received)

    page = text(client.get(f"/privacy/{request.pk}/"))
    assert "Grace Hopper" in page and "Verify the requester’s identity first" in page

    unverified = client.post(f"/privacy/{request.pk}/complete", {"outcome": "Sent"})
    assert unverified.status_code == 422
    assert "Verify the requester&#x27;s identity before completing" in text(unverified)

    no_note = client.post(f"/privacy/{request.pk}/identity", {"result": "verified"})
    assert no_note.status_code == 422
    assert 'id="id_evidence_note_error"' in text(no_note)
    assert (
        client.post(
            f"/privacy/{request.pk}/identity",
            {"result": "verified", "evidence_note": "Photo ID seen at reception"},
        ).status_code
        == 302
    )

    no_date = client.post(
        f"/privacy/{request.pk}/extend", {"months": "1", "reason": "Records on paper"}
    )
    assert no_date.status_code == 422 and 'id="id_person_told_on_error"' in text(no_date)
    assert fresh(clinic_a, request).extended_until is None
    assert (
        client.post(
            f"/privacy/{request.pk}/extend",
            {"months": "1", "reason": "Records on paper", "person_told_on": today(clinic_a)},
        ).status_code
        == 302
    )
    assert fresh(clinic_a, request).extended_until == extended_due_date(received, 1)

    assert (
        client.post(
            f"/privacy/{request.pk}/note", {"body": "Paper notes retrieved from storage"}
        ).status_code
        == 302
    )
    empty = client.post(f"/privacy/{request.pk}/complete", {"outcome": ""})
    assert empty.status_code == 422 and 'id="id_outcome_error"' in text(empty)
    done = client.post(
        f"/privacy/{request.pk}/complete", {"outcome": "Copy of the record handed over"}
    )
    assert done.status_code == 302

    final = text(client.get(f"/privacy/{request.pk}/"))
    assert "Completed" in final and "Copy of the record handed over" in final
    assert "Paper notes retrieved from storage" in final
    assert "Complete the request" not in final
    assert audit_actions(clinic_a, request) == [
        "privacy.request.create",
        "privacy.request.read",
        "privacy.request.identity",
        "privacy.request.extend",
        "privacy.request.note",
        "privacy.request.complete",
        "privacy.request.read",
    ]


def test_find_the_patient_by_search_or_log_without_one(clinic_a: ClinicWorld) -> None:
    patient = clinic_a.make_patient(first_name="Katherine", last_name="Johnson")
    client = member_client(clinic_a, "owner")

    found = text(client.get("/privacy/new", {"q": "Katherine"}))
    assert f'href="/privacy/new?patient={patient.pk}"' in found

    missing = client.post(
        "/privacy/new",
        {"kind": "erasure", "received_on": today(clinic_a).isoformat(), "channel": "letter"},
    )
    assert missing.status_code == 422
    assert "say who made the request" in text(missing)

    logged = client.post(
        "/privacy/new",
        {
            "kind": "erasure",
            "received_on": today(clinic_a).isoformat(),
            "channel": "letter",
            "requester_details": "K. Johnson, 1 High Street",
        },
    )
    assert logged.status_code == 302
    with clinic_scope(clinic_a.clinic.pk):
        request = PrivacyRequest.objects.get()
    assert request.patient is None and request.requester_details.startswith("K. Johnson")
