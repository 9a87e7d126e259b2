"""One journey in a real browser: a receptionist opens Settings → Assistant, asks a question
as a visitor would and sees the reply with the checks behind it, without a reload; a quick
reply continues the conversation and "Start again" clears it."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from aescrm.assistant.models import ChatSession
from aescrm.assistant.tests.support import stock
from aescrm.core.tenancy import clinic_scope
from aescrm.testing.fixtures import PASSWORD


@pytest.mark.browser
def test_it_tests_the_assistant_from_its_knowledge_page(
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
        stock(clinic_a.clinic)
        page.goto(f"{live_server.url}/sign-in")
        page.get_by_label("Email address").fill(clinic_a.users["receptionist"].email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Assistant").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Assistant")
        expect(
            page.get_by_role("heading", name="Where are you and is there parking?")
        ).to_be_visible()

        # Ask as a visitor: the answer and its checks appear in place
        page.evaluate("window.stillTheSamePage = true")
        page.get_by_label("Message").fill("How much is lip filler?")
        page.get_by_role("button", name="Send").click()
        panel = page.locator("#test-panel")
        expect(panel).to_contain_text("Lip filler (1ml) costs £250")
        expect(panel.locator("dd").first).to_have_text("pricing")
        checks = panel.get_by_role("table", name="Safety checks")
        expect(checks.get_by_role("row").filter(has_text="price_grounding")).to_contain_text("pass")
        expect(checks.get_by_role("row").filter(has_text="emergency")).to_contain_text(
            "Visitor’s message"
        )

        # A quick reply carries on the conversation
        page.get_by_role("button", name="Speak to a person").click()
        expect(panel.locator(".test-turn")).to_have_count(2)
        last = panel.locator(".test-turn").last
        expect(last).to_contain_text("I've asked the team to pick this up")
        expect(last.locator("dd").nth(2)).to_have_text("Yes")

        # Start again forgets it
        page.get_by_role("button", name="Start again").click()
        expect(panel.locator(".test-turn")).to_have_count(0)
        assert page.evaluate("window.stillTheSamePage") is True
        with clinic_scope(clinic_a.clinic.pk):
            assert not ChatSession.objects.exists()
    finally:
        connection.close()
    assert problems == []
