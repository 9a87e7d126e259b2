"""On the booking form the free times appear as soon as treatment and date are chosen
(htmx); choosing one and booking puts the appointment there."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection

from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Appointment
from aescrm.testing.fixtures import PASSWORD


@pytest.mark.browser
def test_it_books_a_free_time_chosen_from_the_list(
    live_server: Any, allow_audit_flush: None, clinic_a: Any, browser_page: Any
) -> None:
    from playwright.sync_api import expect

    day = dt.datetime.now(clinic_a.clinic.tz).date() + dt.timedelta(days=4)
    patient = clinic_a.make_patient(first_name="Grace", last_name="Hopper")
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
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill(clinic_a.users["receptionist"].email)
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Alpha Dental")

    page.goto(f"{base}/calendar/book?patient={patient.pk}")
    page.get_by_label("Treatment").select_option(label="Hygienist appointment (30 min, £75.00)")
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Date").dispatch_event("change")  # as the date picker does
    expect(page.locator("#free-slots legend")).to_have_text(
        f"Free times on {day:%A} {day.day} {day:%B} (clinic time)"
    )
    choice = page.get_by_label("14:15–14:45 · Dr Test")
    expect(choice).to_be_visible()
    expect(page.get_by_role("button", name="Show free times")).to_be_hidden()
    choice.check()
    page.get_by_role("button", name="Book appointment").click()

    expect(page.get_by_role("status")).to_contain_text("Booked Grace Hopper with Dr Test")
    try:
        with clinic_scope(clinic_a.clinic.pk):
            stored = Appointment.objects.get()
    finally:
        connection.close()
    assert stored.starts_at == dt.datetime.combine(day, dt.time(14, 15), tzinfo=clinic_a.clinic.tz)
    assert problems == []
