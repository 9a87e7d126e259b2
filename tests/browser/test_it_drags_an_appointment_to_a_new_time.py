"""A receptionist drags an appointment to another hour on the day view; the calendar
reloads with it there, and it is stored at the new time."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection

from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Appointment
from aescrm.testing.fixtures import PASSWORD
from aescrm.web.tests.support import book


@pytest.mark.browser
def test_it_moves_an_appointment_by_dragging_it(
    live_server: Any, allow_audit_flush: None, clinic_a: Any, browser_page: Any
) -> None:
    from playwright.sync_api import expect

    day = dt.datetime.now(clinic_a.clinic.tz).date() + dt.timedelta(days=3)
    patient = clinic_a.make_patient(first_name="Ada", last_name="Lovelace")
    appointment = book(clinic_a, patient, dt.datetime.combine(day, dt.time(10, 15)))
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

    page.goto(f"{base}/calendar/?date={day.isoformat()}")
    card = page.locator(f"#appointment-{appointment.pk}")
    ten = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="10:00"))
    two = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="14:00"))
    expect(ten).to_contain_text("Ada Lovelace")

    # Drag the card from the 10:00 row to Dr Test's cell in the 14:00 row.
    # The drag events as the browser fires them, with one DataTransfer carried through, in
    # one synchronous script: the drop submits the move, and the page it loads must not
    # race the last event. (Playwright's drag_to synthesises native drags through the
    # browser build it was made for; Debian's newer Chromium ignores them.)
    expect(card).to_be_visible()
    target = two.locator("td").first
    target.evaluate(
        """(cell, cardId) => {
            const card = document.getElementById(cardId);
            const carried = new DataTransfer();
            const fire = (node, type) => node.dispatchEvent(
                new DragEvent(type, {bubbles: true, cancelable: true, dataTransfer: carried}));
            fire(card, "dragstart");
            fire(cell, "dragenter");
            fire(cell, "dragover");
            fire(cell, "drop");
            fire(card, "dragend");
        }""",
        f"appointment-{appointment.pk}",
    )

    expect(page.get_by_role("status")).to_contain_text("Moved Ada Lovelace to 14:15 on")
    expect(two).to_contain_text("Ada Lovelace")
    expect(two).to_contain_text("14:15–14:45")
    expect(ten).not_to_contain_text("Ada Lovelace")
    try:
        with clinic_scope(clinic_a.clinic.pk):
            stored = Appointment.objects.get(pk=appointment.pk)
    finally:
        connection.close()
    assert stored.starts_at == dt.datetime.combine(day, dt.time(14, 15), tzinfo=clinic_a.clinic.tz)
    assert problems == []
