"""A clinic's page in the console: plan, subscription state, Stripe ids, limits, the team
(account data), features used and support access grants linking to the grant pages — and
not one patient's name, email or phone, on any console page. Staff without a grant cannot
open the clinic's patient records either."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from aescrm.accounts.models import User
from aescrm.audit.models import AuditEntry
from aescrm.billing.usage import increment
from aescrm.console.tests.support import console_pages, daily, raw, staff_client, subscribe
from aescrm.core.tenancy import unscoped
from aescrm.platform_privacy import support
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import add_enquiry, add_note, text

pytestmark = pytest.mark.django_db

PATIENT_DATA = ("Zelda", "Quixote", "zelda.q@example.org", "900461", "Whitening worries")


def test_the_clinic_page_shows_account_data_only(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld
) -> None:
    patient = clinic_a.make_patient(
        first_name="Zelda", last_name="Quixote", email="zelda.q@example.org", phone="07700 900461"
    )
    add_note(clinic_a, patient, "Whitening worries")
    add_enquiry(clinic_a, patient, "Whitening worries", channel="web_form")
    now = timezone.now()
    today = now.astimezone(dt.UTC).date()
    subscribe(
        clinic_a.clinic,
        "active",
        plan="practice",
        stripe_customer_id="cus_Alpha123",
        stripe_subscription_id="sub_Alpha456",
    )
    # Reminders: 4 counted ten days ago, 1 raw event yesterday (after the last count).
    daily(clinic_a.clinic, "reminder_sent", today - dt.timedelta(days=10), count=4)
    raw(clinic_a.clinic, "reminder_sent", now - dt.timedelta(days=1))
    increment(clinic_a.clinic.pk, "sms_segments", 37, now=now)
    ops = staff_client()
    asker = User.objects.get(email="ops@aescrm.example")
    support.grant_request(
        staff=asker, clinic=clinic_a.clinic, reason="Zelda Quixote's reminder failed", hours=4
    )

    response = ops.get(f"/platform/clinics/{clinic_a.clinic.pk}/")
    page = text(response)

    assert response.status_code == 200
    assert "<h1>Alpha Dental</h1>" in page
    assert "Practice · £399.00 a month" in page
    assert "Active · Full service" in page
    assert "<code>cus_Alpha123</code>" in page and "<code>sub_Alpha456</code>" in page
    assert '<tr><th scope="row">Seats (team members)</th><td>6</td><td>25</td></tr>' in page
    assert (
        '<tr><th scope="row">Chatbot conversations a month</th><td>—</td><td>5000</td></tr>' in page
    )
    assert '<tr><th scope="row">SMS segments</th><td>37</td><td>10000</td>' in page
    assert '<h2 id="members-title">Team (6)</h2>' in page
    assert "owner@alpha.test" in page and "marketer@alpha.test" in page
    assert '<tr><th scope="row">Appointment reminder sent</th><td>5</td></tr>' in page
    assert "ops@aescrm.example" in page and "Waiting for the owner" in page
    assert f'href="/platform/support?clinic={clinic_a.clinic.public_key}"' in page
    assert "bravo" not in page.lower()
    with unscoped("test reads the platform audit chain"):
        assert AuditEntry.all_chains.filter(
            action="platform.clinic.view", object_id=str(clinic_a.clinic.pk), clinic_id__isnull=True
        ).exists()

    for url in console_pages(clinic_a.clinic.pk):
        shown = text(ops.get(url))
        for value in PATIENT_DATA:
            assert value not in shown, (url, value)


def test_staff_without_a_grant_cannot_open_patient_records(clinic_a: ClinicWorld) -> None:
    patient = clinic_a.make_patient(first_name="Zelda", last_name="Quixote")
    ops = staff_client()

    for url in (f"/patients/{patient.pk}/", "/patients/"):
        response = ops.get(url)
        assert response.status_code == 403, url
        assert "Zelda" not in text(response)
