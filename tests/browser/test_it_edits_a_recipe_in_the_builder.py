"""One journey in a real browser: a practice manager opens the built-in 2-day reminder in the
builder, makes it 3 days, adds a step (a row fetched with htmx), saves, and sees version 2."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from aescrm.automation import recipes
from aescrm.automation.models import Rule
from aescrm.core.tenancy import clinic_scope
from aescrm.testing.fixtures import PASSWORD


@pytest.mark.browser
def test_it_edits_a_recipe_in_the_builder(
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
        with clinic_scope(clinic_a.clinic.pk):
            recipes.install_all()
        manager = clinic_a.users["manager"]
        device = TOTPDevice.objects.create(user=manager, name="Authenticator", confirmed=True)

        # Sign in as the practice manager, with the second factor
        page.goto(f"{live_server.url}/sign-in")
        page.get_by_label("Email address").fill(manager.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_label("Six-digit code").fill(f"{totp(device.bin_key):06d}")
        page.get_by_role("button", name="Verify").click()

        # Open the 2-day reminder from the Automations list
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Automations").click()
        row = page.get_by_role("row").filter(has_text="Reminder 2 days before")
        expect(row).to_contain_text("48 hours before the appointment")
        row.get_by_role("link", name="Reminder 2 days before").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Version 1")
        page.get_by_role("link", name="Edit rule").click()

        # Make it three days before, and add a step that tags the patient
        when = page.get_by_role("group", name="When")
        expect(when.get_by_label("How long")).to_have_value("2")
        expect(when.get_by_label("Unit")).to_have_value("days")
        expect(when.get_by_label("Before or after the appointment")).to_have_value("before")
        when.get_by_label("How long").fill("3")
        page.evaluate("window.stillTheSamePage = true")
        page.get_by_role("button", name="Add a step").click()
        steps = page.locator("#action-rows > li")
        expect(steps).to_have_count(2)
        assert page.evaluate("window.stillTheSamePage") is True, "adding a row reloaded the page"
        new_step = steps.nth(1)
        new_step.get_by_label("Step", exact=True).select_option("tag")
        expect(new_step.get_by_label("Wait (for “wait”)")).to_be_hidden()
        new_step.get_by_label("Tag (for “add a tag”)").fill("reminded")
        page.get_by_role("button", name="Save rule").click()

        # Version 2, in words
        expect(page.get_by_role("status")).to_contain_text("saved as version 2")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Version 2")
        expect(page.locator("main")).to_contain_text("72 hours before the appointment")
        expect(page.locator("ol.steps").first).to_contain_text("Tag the patient 'reminded'")
        history = page.get_by_role("table")
        expect(history.get_by_role("row")).to_have_count(3)  # header, v2, v1

        with clinic_scope(clinic_a.clinic.pk):
            rule = Rule.objects.select_related("current_version").get(recipe="reminder_48h")
            assert rule.current_version is not None
            assert rule.current_version.number == 2
            assert rule.current_version.trigger == {
                "event": "appointment_time",
                "offset_minutes": -3 * 24 * 60,
            }
            assert rule.current_version.actions[1] == {"type": "tag", "tag": "reminded"}
    finally:
        # Under Playwright's greenlets this code has its own database connection; close it
        # so the test database can be dropped at the end of the session.
        connection.close()
    assert problems == []
