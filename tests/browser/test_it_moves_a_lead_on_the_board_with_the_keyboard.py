"""A receptionist moves a lead card to the next column with the keyboard alone, and it
stays there after a reload."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Enquiry
from aescrm.pipeline.tests.support import make_lead
from aescrm.testing.fixtures import PASSWORD


@pytest.mark.browser
def test_it_moves_a_card_with_the_keyboard_only(
    live_server: Any, allow_audit_flush: None, clinic_a: Any, browser_page: Any
) -> None:
    from playwright.sync_api import expect

    lead = make_lead(clinic_a, first_name="Ada", last_name="Lovelace", message="asap please")
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

    page.goto(f"{base}/pipeline/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pipeline")
    card = page.locator(f"#lead-{lead.pk}")
    expect(page.locator("#column-new")).to_contain_text("Ada Lovelace")
    ticker = card.locator("time.ticker")
    first_reading = ticker.inner_text()
    page.wait_for_timeout(1100)
    assert ticker.inner_text() != first_reading  # the speed-to-lead timer ticks

    # Tab through the page until the card itself has focus: no mouse anywhere.
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == f"lead-{lead.pk}":
            break
    else:
        pytest.fail("the card never received keyboard focus")
    page.keyboard.press("ArrowRight")

    expect(page.locator("#board-status")).to_have_text("Moved Ada Lovelace to Contacted.")
    expect(page.locator("#column-contacted")).to_contain_text("Ada Lovelace")
    expect(page.locator("#column-new")).not_to_contain_text("Ada Lovelace")
    assert page.evaluate("document.activeElement.id") == f"lead-{lead.pk}"  # focus kept

    page.reload()
    expect(page.locator("#column-contacted")).to_contain_text("Ada Lovelace")
    try:
        with clinic_scope(clinic_a.clinic.pk):
            stored = Enquiry.objects.get(pk=lead.pk)
    finally:
        connection.close()
    assert stored.stage == "contacted" and stored.first_response_at is not None
    assert problems == []
