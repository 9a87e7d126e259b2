"""The acceptance journey in a real browser: a visitor arrives from a Google ad, asks the
website chat what lip filler costs, and books it by following the assistant's questions,
mostly with its suggested replies. The appointment's patient came from that ad click."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection

from aescrm.assistant.tests.support import stock
from aescrm.attribution.models import Touch
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Appointment, Enquiry, Patient

AD_QUERY = "gclid=TEST123&utm_source=google&utm_medium=cpc&utm_campaign=lips"
PAGE = """<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>Alpha Dental: lip filler</title>
<link rel="icon" href="data:,">
<script src="{crm}/widget.js" data-clinic="{key}" data-chat="on" async></script>
</head>
<body><h1>Natural-looking lip filler</h1></body>
</html>
"""


@pytest.mark.browser
def test_a_visitor_books_lip_filler_from_the_chat(
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
    stock(clinic)  # lip filler at £250, and the assistant books appointments itself
    site = clinic_website(
        {
            "/lips": (
                "text/html; charset=utf-8",
                PAGE.format(crm=live_server.url, key=clinic.public_key),
            )
        }
    )
    page = browser_page
    page.goto(f"{site.url}/lips?{AD_QUERY}")
    page.get_by_role("button", name=f"Chat with {clinic.name}").click()
    log = page.get_by_role("log")
    message = page.get_by_label("Your message")
    suggested = page.get_by_role("group", name="Suggested replies")

    def type_in(text: str) -> None:
        message.fill(text)
        message.press("Enter")

    def choose(name: str | re.Pattern[str]) -> str:
        button = suggested.get_by_role("button", name=name).first
        label: str = button.inner_text()
        button.click()
        return label

    type_in("how much is lip filler?")
    expect(log).to_contain_text("£250")
    choose(re.compile(r"^Book"))
    expect(log).to_contain_text("18 or over")
    choose("Yes, I'm 18 or over")
    expect(log).to_contain_text("When would suit you?")
    choose("Any time")
    expect(log).to_contain_text("Here are the next free times")
    slot = choose(re.compile(r"^(?!Other times$)"))
    expect(log).to_contain_text("May I take your name?")
    type_in("Jane Smith")
    expect(log).to_contain_text("mobile number or email")
    type_in("07911 123456")
    expect(log).to_contain_text("news and offers")
    choose("SMS")
    expect(log).to_contain_text("You're booked for Lip filler (1ml)")
    expect(log).to_contain_text(slot.split(", ")[1])

    try:
        with clinic_scope(clinic.pk):
            patient = Patient.objects.get()
            appointment = Appointment.objects.select_related("treatment").get()
            enquiry = Enquiry.objects.get(patient=patient)
            touch = Touch.objects.get(enquiry=enquiry, position="first")
    finally:
        connection.close()  # Playwright's greenlets gave this code its own connection
    assert (patient.first_name, patient.last_name, patient.phone) == (
        "Jane",
        "Smith",
        "+447911123456",
    )
    assert (appointment.patient_id, appointment.treatment.name) == (patient.pk, "Lip filler (1ml)")
    assert enquiry.channel == "chat"
    assert (touch.gclid, touch.utm_source, touch.utm_campaign) == ("TEST123", "google", "lips")
    assert touch.landing_page == f"{site.url}/lips?{AD_QUERY}"
    assert page_problems == []
