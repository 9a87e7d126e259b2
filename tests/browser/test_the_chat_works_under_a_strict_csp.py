"""The website chat on a clinic page whose Content-Security-Policy allows no inline
style or script and no request to anyone but the CRM, with a stylesheet that tries to
hide every button: the visitor opens it with the keyboard, reads who they are talking
to, asks a question, gets the clinic's answer, and Escape takes them back.

The clinic's site is served on 127.0.0.1, the CRM (live_server) on localhost.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from aescrm.assistant.models import AssistantSettings, ChatSession, KnowledgeItem
from aescrm.core.tenancy import clinic_scope

PAGE = """<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>Alpha Dental: teeth whitening</title>
<link rel="stylesheet" href="/site.css">
<script src="{crm}/widget.js" data-clinic="{key}" data-chat="on" async></script>
</head>
<body><h1>Teeth whitening</h1><p><a href="/prices">Our prices</a></p></body>
</html>
"""
# The clinic's own CSS, written without the chat in mind.
SITE_CSS = """
button, input, form { display: none !important; }
* { font-size: 40px !important; color: red !important; }
"""
PRIVACY = "https://alpha.example/privacy"
HOURS = "We are open Monday to Saturday, 8:00 to 20:00."


def launcher_focused(launcher: Any) -> bool:
    return bool(launcher.evaluate("el => el.getRootNode().activeElement === el"))


@pytest.mark.browser
def test_the_chat_works_under_a_strict_csp(
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
    with clinic_scope(clinic.pk):
        AssistantSettings.objects.update_or_create(
            clinic=clinic, defaults={"privacy_notice_url": PRIVACY, "colour": "#7a1f5c"}
        )
        KnowledgeItem.objects.create(
            kind="hours", title="Opening hours", answer=HOURS, keywords="open, opening, hours"
        )
    crm = live_server.url
    site = clinic_website(
        {
            "/whitening": ("text/html; charset=utf-8", PAGE.format(crm=crm, key=clinic.public_key)),
            "/site.css": ("text/css", SITE_CSS),
        },
        headers={
            "Content-Security-Policy": (
                f"default-src 'none'; script-src {crm}; connect-src {crm}; style-src 'self'"
            )
        },
    )
    page = browser_page
    page.add_init_script(
        "window.chatAnswers = [];"
        "addEventListener('aescrm:chat', function (e) { chatAnswers.push(e.detail); });"
    )
    page.goto(f"{site.url}/whitening")

    launcher = page.get_by_role("button", name=f"Chat with {clinic.name}")
    expect(launcher).to_be_visible()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    # Styled by its own stylesheet, which the policy and the site's CSS leave alone.
    assert launcher.evaluate("el => getComputedStyle(el).position") == "fixed"
    for _ in range(5):
        page.keyboard.press("Tab")
        if launcher_focused(launcher):
            break
    assert launcher_focused(launcher), "the launcher is reachable with Tab"
    page.keyboard.press("Enter")

    dialog = page.get_by_role("dialog", name=f"Chat with {clinic.name}")
    expect(dialog).to_be_visible()
    expect(launcher).to_have_attribute("aria-expanded", "true")
    message = page.get_by_label("Your message")
    expect(message).to_be_focused()
    assert float(message.evaluate("el => getComputedStyle(el).fontSize")[:-2]) >= 16

    # Before anything is said: an automated assistant, and the clinic's privacy notice.
    log = page.get_by_role("log")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(log).to_contain_text("automated assistant, not a person")
    expect(dialog.get_by_role("link", name="Privacy notice")).to_have_attribute("href", PRIVACY)
    expect(dialog).to_contain_text(clinic.name)

    page.keyboard.type("What are your opening hours?")
    page.keyboard.press("Enter")
    expect(log).to_contain_text(HOURS)
    expect(log).to_contain_text("What are your opening hours?")
    expect(message).to_have_value("")
    # The disclosure stays at the top of the transcript.
    expect(log.locator(":scope > *").first).to_contain_text("automated assistant")
    assert page.evaluate("chatAnswers.length") == 1
    assert HOURS in page.evaluate("chatAnswers[0].reply")

    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    assert launcher_focused(launcher), "Escape returns focus to the launcher"

    try:
        with clinic_scope(clinic.pk):
            sessions = ChatSession.objects.count()
    finally:
        connection.close()  # Playwright's greenlets gave this code its own connection
    assert sessions == 1
    assert page_problems == []
