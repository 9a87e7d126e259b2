"""The website chat on a 360 × 740 phone screen: the panel fills the width without
spilling over, text is large enough that iOS does not zoom, and the suggested replies
can be tapped."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.assistant.models import KnowledgeItem
from aescrm.core.tenancy import clinic_scope

PAGE = """<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Alpha Dental</title><link rel="icon" href="data:,">
<script src="{crm}/widget.js" data-clinic="{key}" data-chat="on" async></script>
</head>
<body><h1>Alpha Dental</h1><p>Family and cosmetic dentistry.</p></body>
</html>
"""
HOURS = "We are open Monday to Saturday, 8:00 to 20:00."
WIDTH, HEIGHT = 360, 740


def inside_screen(box: dict[str, float]) -> bool:
    return (
        box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= WIDTH + 0.5
        and box["y"] + box["height"] <= HEIGHT + 0.5
    )


@pytest.mark.browser
def test_the_chat_is_usable_on_a_phone(
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
        KnowledgeItem.objects.create(
            kind="hours", title="Opening hours", answer=HOURS, keywords="open, opening, hours"
        )
    site = clinic_website(
        {"/": ("text/html; charset=utf-8", PAGE.format(crm=live_server.url, key=clinic.public_key))}
    )
    page = browser_page
    page.emulate_media(reduced_motion="reduce")
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    page.goto(f"{site.url}/")

    launcher = page.get_by_role("button", name=f"Chat with {clinic.name}")
    assert inside_screen(launcher.bounding_box())
    launcher.click()
    dialog = page.get_by_role("dialog", name=f"Chat with {clinic.name}")
    expect(dialog).to_be_visible()
    box = dialog.bounding_box()
    assert (box["x"], box["width"]) == (0, WIDTH), box
    assert inside_screen(box), box
    message = page.get_by_label("Your message")
    send = dialog.get_by_role("button", name="Send")
    close = dialog.get_by_role("button", name="Close chat")
    for control in (message, send, close):
        assert inside_screen(control.bounding_box())
    assert float(message.evaluate("el => getComputedStyle(el).fontSize")[:-2]) >= 16

    replies = dialog.get_by_role("group", name="Suggested replies").get_by_role("button")
    expect(replies.first).to_be_visible()
    for i in range(replies.count()):
        reply = replies.nth(i).bounding_box()
        assert inside_screen(reply), reply
        assert reply["height"] >= 40, "big enough to tap"
    replies.filter(has_text="Opening hours").click()
    expect(page.get_by_role("log")).to_contain_text(HOURS)
    expect(message).to_be_focused()

    # Nothing pushes the page sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    close.click()
    expect(dialog).to_be_hidden()
    assert page_problems == []
