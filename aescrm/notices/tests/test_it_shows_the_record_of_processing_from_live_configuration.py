"""The processor's record (Article 30(2)): owners see their clinic's, generated from what it
switched on; AES-CRM staff see every clinic's; others get 403 or 404."""

from __future__ import annotations

import pytest
from django.test import Client

from aescrm.accounts.models import User
from aescrm.notices.tests.support import with_ads, with_sms
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client, text, verified_client

pytestmark = pytest.mark.django_db


def _row(page: str, name: str) -> str:
    start = page.index(f'<th scope="row">{name}</th>')
    return page[start : page.index("</tr>", start)]


def test_an_owner_sees_their_clinics_record(clinic_a: ClinicWorld, clinic_b: ClinicWorld) -> None:
    with_sms(clinic_a)
    with_ads(clinic_a, google_enabled=True)

    page = text(member_client(clinic_a, "owner").get("/settings/records-of-processing"))

    assert "Alpha Dental (controller)" in page
    assert "Bravo" not in page
    assert _row(page, "Twilio Inc.").endswith("<td>Yes</td>")
    assert _row(page, "Google Ireland Ltd (Google Ads)").endswith("<td>Yes</td>")
    assert _row(page, "Meta Platforms Ireland Ltd").endswith("<td>No</td>")
    assert _row(page, "ActiveCampaign, LLC (Postmark)").endswith("<td>No</td>")
    assert "UK International Data Transfer Addendum" in page
    assert "Communication history: SMS, website chat" in page
    assert "Uploading conversions to ad platforms for measurement" in page
    assert "AES-256-GCM" in page and "TLS 1.3" in page and "row-level security" in page
    assert "two-factor authentication required for owners and managers" in page
    assert "Advertising measurement data (click ids, campaign and page details): 2 years" in page


def test_auditors_may_read_it_and_receptionists_may_not(clinic_a: ClinicWorld) -> None:
    assert (
        member_client(clinic_a, "auditor").get("/settings/records-of-processing").status_code == 200
    )
    assert (
        member_client(clinic_a, "receptionist").get("/settings/records-of-processing").status_code
        == 403
    )


def test_platform_staff_see_every_clinic_and_members_do_not(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld
) -> None:
    with_sms(clinic_b, number="+447700900222")
    staff_user = User.objects.create_user(
        "dpo@aescrm.example", "a-long-staff-password-1", is_staff=True
    )
    # Without the second factor, staff are sent to it first.
    unverified = Client()
    unverified.force_login(staff_user)
    assert unverified.get("/platform/records-of-processing")["Location"].startswith(
        "/sign-in/two-factor"
    )
    staff = verified_client(staff_user)

    page = text(staff.get("/platform/records-of-processing"))

    assert "Alpha Dental (controller)" in page and "Bravo Aesthetics (controller)" in page
    assert (
        member_client(clinic_a, "owner").get("/platform/records-of-processing").status_code == 404
    )
    assert Client().get("/platform/records-of-processing").status_code == 302
