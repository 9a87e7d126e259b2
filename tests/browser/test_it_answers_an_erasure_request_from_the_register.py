"""One journey in a real browser: a practice manager logs a patient's erasure request from
their record, sees the ICO deadline, records the identity check, reads what erasure removes
and keeps, erases, and finds the request completed and the patient gone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from aescrm.core.tenancy import clinic_scope
from aescrm.keyvault.models import PatientKey
from aescrm.patients.models import Patient
from aescrm.privacy.models import PrivacyRequest
from aescrm.testing.fixtures import PASSWORD


@pytest.mark.browser
def test_a_manager_answers_an_erasure_request_end_to_end(
    live_server: Any, allow_audit_flush: None, clinic_a: Any, browser_page: Any
) -> None:
    from playwright.sync_api import expect

    page = browser_page
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on(
        "console",
        lambda msg: (
            problems.append(f"console {msg.type}: {msg.text}")
            if msg.type in ("error", "warning")
            else None
        ),
    )
    try:
        patient = clinic_a.make_patient(
            first_name="Nia", last_name="Price", email="nia.price@example.org"
        )
        manager = clinic_a.users["manager"]
        device = TOTPDevice.objects.create(user=manager, name="Authenticator", confirmed=True)
        received = dt.datetime.now(clinic_a.clinic.tz).date() - dt.timedelta(days=2)

        page.goto(f"{live_server.url}/sign-in")
        page.get_by_label("Email address").fill(manager.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_label("Six-digit code").fill(f"{totp(device.bin_key):06d}")
        page.get_by_role("button", name="Verify").click()

        # From Nia's record, log her erasure request
        page.goto(f"{live_server.url}/patients/{patient.pk}")
        page.get_by_role("link", name="Log a privacy request").click()
        expect(page.locator("#chosen-patient")).to_contain_text("Nia Price")
        page.get_by_label("What the person asks for").select_option("erasure")
        page.get_by_label("Received on").fill(received.isoformat())
        page.get_by_label("How it arrived").select_option("email")
        page.get_by_role("button", name="Log the request").click()

        # The deadline is one calendar month from receipt
        expect(page.get_by_role("heading", level=1)).to_have_text("Erasure request")
        with clinic_scope(clinic_a.clinic.pk):
            due = PrivacyRequest.objects.get(patient=patient).due_on
        expect(page.locator("#due-on")).to_contain_text(f"{due.day} {due:%B %Y}")

        # Identity checked, then on to what erasure removes
        page.get_by_label("Identity verified").check()
        page.get_by_role("textbox", name="Evidence").fill("Replied from the email address on file")
        page.get_by_role("button", name="Record the check").click()
        expect(page.locator("#identity-status")).to_contain_text("Verified")
        page.get_by_role("link", name="See what erasure removes").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Erase Nia Price")
        expect(page.locator("main")).to_contain_text("What will be erased")

        # Confirm by typing her name
        page.get_by_label("To confirm, type the person's full name or the word ERASE").fill(
            "Nia Price"
        )
        page.get_by_role("button", name="Erase this person").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("The person has been erased")

        # The request is completed, saying what was done
        page.get_by_role("link", name="Back to the privacy request").click()
        expect(page.locator("#request-status")).to_have_text("Completed")
        expect(page.locator("#outcome")).to_contain_text("key destroyed")

        # ... and no search finds her
        page.goto(f"{live_server.url}/patients/?q=Nia")
        expect(page.locator("main")).not_to_contain_text("Nia Price")

        with clinic_scope(clinic_a.clinic.pk):
            assert not Patient.objects.filter(pk=patient.pk).exists()
        assert PatientKey.objects.get(patient_id=patient.pk).destroyed_at is not None
        assert problems == []
    finally:
        connection.close()
