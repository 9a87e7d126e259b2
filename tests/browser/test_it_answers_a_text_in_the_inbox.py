"""One journey in a real browser: a receptionist opens the inbox, sees an unread text, answers
it, and the patient's next text appears in the open conversation without a reload."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from aescrm.core.tenancy import clinic_scope
from aescrm.inbox.tests.conftest import no_quiet_hours
from aescrm.inbox.tests.support import inbound, texting_patient
from aescrm.messaging.models import Direction, Message
from aescrm.testing.fixtures import PASSWORD


@pytest.mark.browser
def test_it_answers_a_text_in_the_inbox(
    live_server: Any, allow_audit_flush: None, clinic_a: Any, browser_page: Any, settings: Any
) -> None:
    from playwright.sync_api import expect

    settings.MESSAGING_MODE = "console"
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
        no_quiet_hours(clinic_a)
        patient = texting_patient(clinic_a, first_name="Zebedee", last_name="Quixotic")
        inbound(clinic_a, patient, "Can I move my appointment to Friday?")

        # Sign in as the receptionist and open the inbox: one unread conversation
        page.goto(f"{live_server.url}/sign-in")
        page.get_by_label("Email address").fill(clinic_a.users["receptionist"].email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Inbox").click()
        row = page.get_by_role("row").filter(has_text="Zebedee Quixotic")
        expect(row).to_contain_text("1 unread")
        expect(row).to_contain_text("Can I move my appointment to Friday?")

        # Open it and answer by SMS
        row.get_by_role("link", name="Zebedee Quixotic").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Zebedee Quixotic")
        thread = page.locator("#thread-region")
        expect(thread).to_contain_text("Can I move my appointment to Friday?")
        reply = page.get_by_label("Your reply")
        reply.fill("Yes, Friday at 10:00 is free. See you then!")
        counter = page.locator("#sms-counter")
        expect(counter).to_contain_text("SMS parts: 1, GSM-7, 117 characters left")
        page.get_by_role("button", name="Send reply").click()
        expect(page.get_by_role("status")).to_contain_text("Reply queued by SMS.")
        expect(thread).to_contain_text("Yes, Friday at 10:00 is free. See you then!")

        # The patient answers while the page is open: it appears without a reload
        page.evaluate("window.stillTheSamePage = true")
        page.get_by_label("Your reply").fill("Half-typed answer")
        inbound(clinic_a, patient, "Perfect, thank you!")
        expect(thread).to_contain_text("Perfect, thank you!", timeout=12_000)
        assert page.evaluate("window.stillTheSamePage") is True
        expect(page.get_by_label("Your reply")).to_have_value("Half-typed answer")

        with clinic_scope(clinic_a.clinic.pk):
            sent = Message.objects.get(direction=Direction.OUTBOUND)
        assert (sent.status, sent.kind, str(sent.body)) == (
            "sent",
            "service",
            "Yes, Friday at 10:00 is free. See you then!",
        )
    finally:
        # Under Playwright's greenlets this code has its own database connection; close it
        # so the test database can be dropped at the end of the session.
        connection.close()
    assert problems == []
