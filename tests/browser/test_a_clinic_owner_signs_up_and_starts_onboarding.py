"""One journey in a real browser: a clinic owner signs up, follows the link emailed to them
(caught by a fake Postmark over HTTP), sets up two-factor authentication, names the clinic
and its website, and sees the checklist tick "widget" when a page of their site loads it."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest
from django_otp.oath import totp

from aescrm.testing.fakes.postmark import FakePostmark

PLATFORM_TOKEN = "platform-token-browser"
EMAIL = "grace@hopper-aesthetics.co.uk"


@pytest.mark.browser
def test_a_clinic_owner_signs_up_and_starts_onboarding(
    live_server: Any,
    allow_audit_flush: None,
    browser_page: Any,
    page_problems: list[str],
    clinic_website: Any,
    settings: Any,
) -> None:
    from playwright.sync_api import expect

    postmark = FakePostmark(server_token=PLATFORM_TOKEN)
    postmark.start()
    settings.ACCOUNT_EMAIL_TOKEN = PLATFORM_TOKEN
    settings.POSTMARK_API_BASE = postmark.api_base
    settings.PUBLIC_BASE_URL = live_server.url
    page = browser_page
    try:
        page.goto(f"{live_server.url}/signup")
        page.get_by_label("Your full name").fill("Grace Hopper")
        page.get_by_label("Email address").fill(EMAIL)
        page.get_by_label("Password").fill("violet harbour lantern 42")
        page.get_by_label("Your clinic's name").fill("Hopper Aesthetics")
        page.get_by_role("button", name="Sign up").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
        expect(page.locator("#signup-sent")).to_contain_text(EMAIL)

        [email] = postmark.sent_to(EMAIL)
        link = re.search(r"http\S+/signup/verify/\S+", email["TextBody"])
        assert link is not None
        page.goto(link.group(0))
        page.get_by_role("button", name="Confirm and create my clinic").click()

        # An owner's first stop: an authenticator app, set up from the key shown.
        expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor authentication")
        secret = page.locator("#totp-secret").inner_text()
        page.get_by_label("Six-digit code").fill(f"{totp(base64.b32decode(secret)):06d}")
        page.get_by_role("button", name="Verify").click()

        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Getting started with Hopper Aesthetics"
        )
        expect(page.locator("#onboarding-progress")).to_contain_text("0 of 7 done")
        page.get_by_label("Clinic name").fill("Hopper Aesthetics Ltd")
        page.get_by_label("Time zone").select_option("Europe/Jersey")
        # The clinic's live site, and the development copy it tries the widget on first.
        page.get_by_label("Your website addresses").fill(
            "https://www.Hopper-Aesthetics.co.uk/home\n127.0.0.1"
        )
        page.get_by_role("button", name="Save clinic details").click()
        expect(page.get_by_role("status")).to_contain_text("Clinic details saved.")
        expect(page.get_by_label("Your website addresses")).to_have_value(
            "www.hopper-aesthetics.co.uk\n127.0.0.1"
        )
        expect(page.get_by_label("Time zone")).to_have_value("Europe/Jersey")
        widget_item = page.locator("#check-widget")
        expect(widget_item).to_contain_text("To do")
        snippet = page.locator("#widget-snippet").input_value()
        assert 'data-clinic="pk_' in snippet

        # The owner pastes the snippet into a page of their site; a visitor opens it.
        site = clinic_website(
            {"/": ("text/html; charset=utf-8", f"<!doctype html><title>Hopper</title>{snippet}")}
        )
        visitor = page.context.new_page()
        visitor.goto(site.url + "/")
        visitor.wait_for_function("window.AESCRM && window.AESCRM.version")
        visitor.close()

        for _ in range(20):
            page.reload()
            if page.locator("#check-widget").get_attribute("data-done") == "yes":
                break
            page.wait_for_timeout(250)
        expect(widget_item).to_contain_text("Done")
        expect(page.locator("#onboarding-progress")).to_contain_text("1 of 7 done")

        page.goto(f"{live_server.url}/")
        expect(page.locator("#onboarding-done")).to_have_text("1 of 7 done")
    finally:
        postmark.stop()
    assert page_problems == []
