"""A visitor asks the website chat for a person: the widget says the team will reply,
picks up the staff member's reply by polling while the chat is open (and stops when it
is closed), and shows the conversation again on the next page of the site."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from aescrm.assistant.models import ChatSession
from aescrm.assistant.staff import staff_reply
from aescrm.core.tenancy import clinic_scope

PAGE = """<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>Alpha Dental</title><link rel="icon" href="data:,">
<script src="{crm}/widget.js" data-clinic="{key}" data-chat="on" async></script>
</head>
<body><h1>Alpha Dental</h1></body>
</html>
"""
REPLY = "Hello, this is Priya at the front desk. How can I help?"


@pytest.mark.browser
def test_a_visitor_hears_from_the_team_in_the_chat(
    live_server: Any,
    allow_audit_flush: None,
    clinic_a: Any,
    browser_page: Any,
    page_problems: list[str],
    clinic_website: Any,
) -> None:
    from playwright.sync_api import expect

    clinic = clinic_a.clinic
    clinic.website_domains = ["127.0.0.1"]
    clinic.save()
    html = PAGE.format(crm=live_server.url, key=clinic.public_key)
    site = clinic_website({"/": ("text/html", html), "/prices": ("text/html", html)})
    page = browser_page
    polls: list[str] = []
    page.on("request", lambda r: polls.append(r.url) if "/messages?after=" in r.url else None)
    page.goto(f"{site.url}/")
    launcher = page.get_by_role("button", name=f"Chat with {clinic.name}")
    launcher.click()
    log = page.get_by_role("log")
    page.get_by_role("group", name="Suggested replies").get_by_role(
        "button", name="Speak to a person"
    ).click()
    expect(log).to_contain_text("A member of the team will reply here")

    try:
        with clinic_scope(clinic.pk):
            staff_reply(clinic_a.caller(), ChatSession.objects.get(), REPLY)
    finally:
        connection.close()  # Playwright's greenlets gave this code its own connection
    staff = log.locator("div", has_text=REPLY).last
    expect(staff).to_be_visible(timeout=10_000)
    expect(staff).to_contain_text("Clinic team")

    # Closed, nobody is reading: no more polling.
    page.keyboard.press("Escape")
    seen = len(polls)
    page.wait_for_timeout(5_000)
    assert len(polls) == seen

    # Another page of the site: the conversation is still there.
    page.goto(f"{site.url}/prices")
    launcher.click()
    expect(log).to_contain_text("Speak to a person")
    expect(log).to_contain_text(REPLY)
    expect(log).to_contain_text("A member of the team will reply here")
    assert page_problems == []
