"""One journey in a real browser: a receptionist sees a website visitor asking for a person,
opens the chat, takes it over and replies (htmx, no reload); the visitor's next message
appears without a reload, and the chat is handed back to the assistant."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from aescrm.assistant.models import ChatTurn
from aescrm.assistant.tests.staff_support import assistant, make_chat, visitor
from aescrm.core.tenancy import clinic_scope
from aescrm.testing.fixtures import PASSWORD


@pytest.mark.browser
def test_it_takes_over_a_website_chat(
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
        chat = make_chat(
            clinic_a,
            [
                visitor("Can I speak to someone?"),
                assistant(
                    "Of course, I'll ask a colleague to join.",
                    intent="handoff",
                    guardrails=[
                        {"check": "medical", "stage": "out", "decision": "pass", "detail": ""}
                    ],
                ),
            ],
            handoff_requested=True,
        )

        # Sign in; the inbox has a Website chats tab saying one chat is waiting
        page.goto(f"{live_server.url}/sign-in")
        page.get_by_label("Email address").fill(clinic_a.users["receptionist"].email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Inbox").click()
        tabs = page.get_by_role("navigation", name="Inbox sections")
        expect(tabs).to_contain_text("1 waiting")
        tabs.get_by_role("link", name="Website chats").click()
        row = page.get_by_role("row").filter(has_text="Website visitor")
        expect(row).to_contain_text("Asked for a person")

        # Open it and take over
        row.get_by_role("link", name="Website visitor").click()
        thread = page.locator("#thread-region")
        expect(thread).to_contain_text("Can I speak to someone?")
        expect(thread).to_contain_text("handoff · embedded 1.0 · 42 ms")
        page.get_by_role("button", name="Take over").click()
        expect(page.get_by_role("status").first).to_contain_text("You are answering this chat")

        # Reply without a reload
        page.evaluate("window.stillTheSamePage = true")
        page.get_by_label("Your reply").fill("Hello, this is Sam. How can I help?")
        page.get_by_role("button", name="Send reply").click()
        expect(thread).to_contain_text("Hello, this is Sam. How can I help?")
        expect(page.get_by_label("Your reply")).to_have_value("")
        assert page.evaluate("window.stillTheSamePage") is True

        # The visitor answers while the page is open: it appears without a reload
        page.get_by_label("Your reply").fill("Half-typed")
        with clinic_scope(clinic_a.clinic.pk):
            ChatTurn.objects.create(session=chat, seq=4, **visitor("I'd like to book a check-up"))
        expect(thread).to_contain_text("I'd like to book a check-up", timeout=12_000)
        assert page.evaluate("window.stillTheSamePage") is True
        expect(page.get_by_label("Your reply")).to_have_value("Half-typed")

        # Hand back to the assistant
        page.get_by_role("button", name="Hand back to the assistant").click()
        expect(thread).to_contain_text("Assistant answering")

        with clinic_scope(clinic_a.clinic.pk):
            staff_turn = ChatTurn.objects.get(session=chat, seq=3)
            chat.refresh_from_db()
        assert (staff_turn.speaker, str(staff_turn.body)) == (
            "staff",
            "Hello, this is Sam. How can I help?",
        )
        assert (chat.mode, chat.handoff_requested) == ("bot", False)
    finally:
        connection.close()
    assert problems == []
