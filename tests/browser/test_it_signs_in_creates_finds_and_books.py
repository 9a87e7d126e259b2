"""One journey in a real browser: a receptionist signs in, adds a patient, finds them,
books an appointment from their profile and sees it on the calendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection

from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Appointment
from aescrm.testing.fixtures import PASSWORD


@pytest.mark.browser
def test_it_signs_in_creates_finds_and_books(
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
    base = live_server.url
    day = dt.date.today() + dt.timedelta(days=7)

    # Sign in as the clinic's receptionist
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill(clinic_a.users["receptionist"].email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alpha Dental")

    # Add a patient through the form
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Patients").click()
    expect(page.get_by_role("link", name="Patients", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    page.get_by_role("link", name="New patient").click()
    page.get_by_label("First name").fill("Zebedee")
    page.get_by_label("Last name").fill("Quixotic")
    page.get_by_label("Email address").fill("zeb@example.org")
    page.get_by_label("Phone number").fill("07700 900461")
    page.get_by_label("Text message (SMS)").check()
    page.get_by_role("button", name="Add patient").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zebedee Quixotic")
    expect(page.get_by_role("status")).to_contain_text("Zebedee Quixotic has been added.")

    # Find them by part of the name, then open the profile
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Patients").click()
    page.get_by_label("Search patients").fill("quix")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("cell", name="07700 900461")).to_be_visible()
    page.get_by_role("link", name="Zebedee Quixotic").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zebedee Quixotic")

    # Book an appointment from the profile
    page.get_by_role("link", name="Book appointment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Book an appointment")
    expect(page.locator(".chosen-patient")).to_contain_text("Zebedee Quixotic")
    page.get_by_label("Treatment").select_option(label="Hygienist appointment (30 min, £75.00)")
    page.get_by_label("Practitioner").select_option(label="Dr Test")
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Start time").fill("10:30")
    page.get_by_role("button", name="Book appointment").click()

    # See it on the calendar, at 10:30 clinic time, in Dr Test's column
    expect(page.get_by_role("status")).to_contain_text("Booked Zebedee Quixotic with Dr Test")
    expect(page.get_by_role("heading", level=1)).to_contain_text(day.strftime("%A %-d %B %Y"))
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="10:00"))
    expect(row.get_by_role("link", name="Zebedee Quixotic")).to_be_visible()
    expect(row).to_contain_text("10:30–11:00")

    try:
        with clinic_scope(clinic_a.clinic.pk):
            appointment = Appointment.objects.get()
    finally:
        # Under Playwright's greenlets this code has its own database connection
        # (Django keeps connections per context); close it so the test database
        # can be dropped at the end of the session.
        connection.close()
    assert appointment.starts_at == dt.datetime.combine(
        day, dt.time(10, 30), tzinfo=clinic_a.clinic.tz
    )
    assert problems == []
