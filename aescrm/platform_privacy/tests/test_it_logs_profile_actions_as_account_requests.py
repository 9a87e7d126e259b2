"""A download or a closing from the profile page is logged in the register as a completed
access or erasure request, audited on the platform chain; the closed account's row stays."""

from __future__ import annotations

import pytest

from aescrm.platform_privacy import account_requests
from aescrm.platform_privacy.models import AccountRequest
from aescrm.platform_privacy.tests.support import platform_actions, staff_client
from aescrm.testing.fixtures import PASSWORD, ClinicWorld
from aescrm.web.tests.support import member_client

pytestmark = pytest.mark.django_db


def test_a_download_is_a_completed_access_request(clinic_a: ClinicWorld) -> None:
    user = clinic_a.users["receptionist"]

    assert member_client(clinic_a, "receptionist").get("/account/export.json").status_code == 200

    request = AccountRequest.objects.get()
    today = account_requests.platform_today()
    assert (request.subject, request.kind, request.status) == (user, "access", "completed")
    assert (request.source, request.channel, request.identity_status) == (
        "self_service",
        "web_form",
        "verified",
    )
    assert request.received_on == today
    assert request.completed_at is not None
    assert "downloaded their account data" in request.outcome
    assert platform_actions(request) == [("account.request.self_service", None)]

    closed = staff_client().get("/platform/privacy-requests?show=closed").content.decode()
    assert f"request-{request.pk}" in closed
    assert user.email in closed


def test_closing_the_account_is_a_completed_erasure_request(clinic_a: ClinicWorld) -> None:
    user = clinic_a.users["marketer"]

    response = member_client(clinic_a, "marketer").post("/account/close", {"password": PASSWORD})

    assert response.status_code == 200
    request = AccountRequest.objects.get()
    assert (request.subject_id, request.kind, request.status) == (user.pk, "erasure", "completed")
    assert "closed their account" in request.outcome
    assert platform_actions(request) == [("account.request.self_service", None)]
    staff = staff_client()
    page = staff.get(f"/platform/privacy-requests/{request.pk}/").content.decode()
    assert "Closed account" in page
    assert user.email not in page
    assert "The account holder, from their profile page" in page


def test_a_refused_closing_logs_nothing(clinic_a: ClinicWorld) -> None:
    client = member_client(clinic_a, "marketer")

    assert client.post("/account/close", {"password": "wrong"}).status_code == 422
    assert client.post("/account/close", {"password": ""}).status_code == 422
    owner = member_client(clinic_a, "owner")
    assert owner.post("/account/close", {"password": PASSWORD}).status_code == 409

    assert not AccountRequest.objects.exists()
