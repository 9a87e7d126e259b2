"""The platform console is for AES-CRM Ltd staff who have passed two-factor authentication:
anyone else — a clinic's owner included — gets 404; staff without the second factor are
sent to it first, even when they have never set one up."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from aescrm.console.tests.support import console_pages, staff_client, staff_user
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client

pytestmark = pytest.mark.django_db


def test_only_verified_staff_see_the_console(clinic_a: ClinicWorld, clinic_b: ClinicWorld) -> None:
    pages = console_pages(clinic_a.clinic.pk)
    staff = staff_client()
    for page in pages:
        assert Client().get(page)["Location"] == f"/sign-in?next={page}"
        for role in ("owner", "manager", "receptionist"):
            assert member_client(clinic_a, role).get(page).status_code == 404, (page, role)
        assert member_client(clinic_b, "owner").get(page).status_code == 404
        assert staff.get(page).status_code == 200, page
    assert staff.get(f"/platform/clinics/{uuid.uuid4()}/").status_code == 404


def test_staff_are_sent_to_two_factor_first(db: None) -> None:
    user = staff_user()
    signed_in = Client()
    response = signed_in.post(
        "/sign-in", {"email": user.email, "password": "a-long-staff-password-1"}
    )
    assert response["Location"].startswith("/sign-in/two-factor")

    assert signed_in.get("/platform/")["Location"] == "/sign-in/two-factor?next=/platform/"
    assert signed_in.get("/platform/clinics/").status_code == 302
    assert signed_in.get("/platform/support").status_code == 302
