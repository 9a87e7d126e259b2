"""Owners and managers log and answer requests; auditors only read the register;
receptionists, clinicians and marketers get 403 and change nothing."""

from __future__ import annotations

import pytest

from aescrm.core.tenancy import clinic_scope
from aescrm.privacy.models import PrivacyRequest
from aescrm.privacy.tests.support import fresh, log_request, today
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client

pytestmark = pytest.mark.django_db

ACTIONS = [
    ("/privacy/{r}/identity", {"result": "verified", "evidence_note": "Seen"}),
    ("/privacy/{r}/note", {"body": "A note"}),
    ("/privacy/{r}/complete", {"outcome": "Done"}),
    ("/privacy/{r}/refuse", {"reason": "No"}),
    ("/privacy/{r}/withdraw", {"note": ""}),
]


@pytest.mark.parametrize("role", ["receptionist", "clinician", "marketer"])
def test_roles_without_privacy_cannot_see_or_change(clinic_a: ClinicWorld, role: str) -> None:
    request = log_request(clinic_a, clinic_a.make_patient())
    client = member_client(clinic_a, role)

    assert client.get("/privacy/").status_code == 403
    assert client.get(f"/privacy/{request.pk}/").status_code == 403
    assert client.get("/privacy/new").status_code == 403
    for path, data in ACTIONS:
        assert client.post(path.format(r=request.pk), data).status_code == 403
    new = client.post(
        "/privacy/new",
        {
            "kind": "access",
            "received_on": today(clinic_a).isoformat(),
            "channel": "email",
            "requester_details": "Someone",
        },
    )
    assert new.status_code == 403
    now = fresh(clinic_a, request)
    assert now.status == "open" and now.notes is None
    with clinic_scope(clinic_a.clinic.pk):
        assert PrivacyRequest.objects.count() == 1


def test_auditors_read_but_cannot_change(clinic_a: ClinicWorld) -> None:
    request = log_request(clinic_a, clinic_a.make_patient())
    client = member_client(clinic_a, "auditor")
    assert client.get(f"/privacy/{request.pk}/").status_code == 200
    assert client.get("/privacy/new").status_code == 403
    for path, data in ACTIONS:
        assert client.post(path.format(r=request.pk), data).status_code == 403
    assert fresh(clinic_a, request).status == "open"


@pytest.mark.parametrize("role", ["owner", "manager"])
def test_owners_and_managers_manage(clinic_a: ClinicWorld, role: str) -> None:
    request = log_request(clinic_a, clinic_a.make_patient())
    client = member_client(clinic_a, role)
    response = client.post(f"/privacy/{request.pk}/note", {"body": "Called them back"})
    assert response.status_code == 302
    assert "Called them back" in fresh(clinic_a, request).notes
