"""Only AES-CRM staff reach the register of account holders' requests. A clinic owner gets 404
on every page and action and changes nothing; the clinic's own register and API never list
them. Open requests come soonest deadline first, with the clinic register's warnings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from aescrm.platform_privacy import account_requests
from aescrm.platform_privacy.models import AccountRequest
from aescrm.platform_privacy.tests.support import log, staff_client, staff_user
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client

pytestmark = pytest.mark.django_db


def test_a_clinic_owner_gets_404_and_changes_nothing(clinic_a: ClinicWorld) -> None:
    owner = clinic_a.users["owner"]
    request = log(staff_user(), owner, kind="erasure")
    before = AccountRequest.objects.values().get()
    client = member_client(clinic_a, "owner")
    base = f"/platform/privacy-requests/{request.pk}"
    today = account_requests.platform_today().isoformat()

    answers = [
        client.get("/platform/privacy-requests").status_code,
        client.get("/platform/privacy-requests/new").status_code,
        client.get(f"{base}/").status_code,
        client.post(
            "/platform/privacy-requests/new",
            {"email": owner.email, "kind": "access", "received_on": today, "channel": "email"},
        ).status_code,
        client.post(f"{base}/identity", {"result": "verified", "method": "signed_in"}).status_code,
        client.post(
            f"{base}/extend", {"months": "2", "reason": "Many", "person_told_on": today}
        ).status_code,
        client.post(f"{base}/note", {"body": "Seen"}).status_code,
        client.post(f"{base}/complete", {"outcome": "Done"}).status_code,
    ]

    assert answers == [404] * 8
    assert AccountRequest.objects.count() == 1
    assert AccountRequest.objects.values().get() == before


def test_signed_out_visitors_are_sent_to_sign_in() -> None:
    response = Client().get("/platform/privacy-requests")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in")


def test_the_clinic_register_never_shows_account_requests(clinic_a: ClinicWorld) -> None:
    log(staff_user(), clinic_a.users["owner"], kind="objection")

    page = member_client(clinic_a, "owner").get("/privacy/")
    api = clinic_a.api().get("/api/v1/privacy/requests")

    assert page.status_code == 200
    assert "No open requests." in page.content.decode()
    assert api.status_code == 200
    assert api.json() == []


def test_open_requests_by_deadline_with_warnings(clinic_a: ClinicWorld) -> None:
    staff = staff_user()
    today = account_requests.platform_today()
    later = log(staff, clinic_a.users["owner"], kind="access", received_on=today)
    overdue = log(
        staff,
        clinic_a.users["manager"],
        kind="erasure",
        received_on=today - dt.timedelta(days=40),
    )
    soon = log(
        staff,
        clinic_a.users["marketer"],
        kind="objection",
        received_on=today - dt.timedelta(days=27),
    )

    page = staff_client(staff).get("/platform/privacy-requests").content.decode()

    order = [page.index(f"request-{r.pk}") for r in (overdue, soon, later)]
    assert order == sorted(order)
    assert "Overdue by" in page
    days = (soon.deadline - today).days
    assert f"Due in {days} day{'s' if days != 1 else ''}" in page
    assert page.count('class="due ') == 2
    assert clinic_a.users["manager"].email in page
