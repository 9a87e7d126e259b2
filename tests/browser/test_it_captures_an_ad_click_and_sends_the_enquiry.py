"""One visitor in a real browser: lands on a clinic's website from a Google ad, widget.js
keeps the click, the enquiry form is sent, and the lead's first touch is that click.

The clinic's website is a static page served by a small HTTP server on
127.0.0.1, a different origin from the CRM (live_server on localhost), so the
form is sent cross-origin through CORS exactly as from a real clinic's site.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.db import connection

from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import ConsentEvent, Patient

AD_QUERY = "gclid=TeSt123&utm_source=google&utm_medium=cpc&utm_campaign=spring_whitening"

LANDING_PAGE = """<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>Alpha Dental: teeth whitening</title>
<link rel="icon" href="data:,">
<script src="{crm}/widget.js" data-clinic="{key}" data-consent="granted" async></script>
</head>
<body>
<h1>Spring teeth whitening</h1>
<form data-aescrm-form>
  <label for="first_name">First name</label> <input id="first_name" name="first_name">
  <label for="last_name">Last name</label> <input id="last_name" name="last_name">
  <label for="email">Email address</label> <input id="email" name="email" type="email">
  <label for="phone">Phone number</label> <input id="phone" name="phone" type="tel">
  <label for="treatment">Treatment</label>
  <select id="treatment" name="treatment">
    <option value="">Not sure yet</option><option>Hygienist appointment</option>
  </select>
  <label for="message">Your question</label> <textarea id="message" name="message"></textarea>
  <label><input type="checkbox" name="consent.email"> Email me offers and news from
    Alpha Dental. You can unsubscribe at any time.</label>
  <button type="submit">Send enquiry</button>
</form>
</body>
</html>
"""


class Website:
    """The clinic's own website: one static landing page, served over real HTTP."""

    def __init__(self, html: str) -> None:
        body = html.encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.browser
def test_it_captures_an_ad_click_and_sends_the_enquiry(
    live_server: Any, allow_audit_flush: None, clinic_a: Any, browser_page: Any, settings: Any
) -> None:
    from playwright.sync_api import expect

    settings.PUBLIC_MIN_FILL_SECONDS = 1
    clinic_a.clinic.website_domains = ["127.0.0.1"]
    clinic_a.clinic.save()
    site = Website(LANDING_PAGE.format(crm=live_server.url, key=clinic_a.clinic.public_key))
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
        landing = f"{site.url}/whitening?{AD_QUERY}"
        page.goto(landing)
        page.wait_for_function("window.AESCRM && window.AESCRM.version")
        page.get_by_label("First name").fill("Imogen")
        page.get_by_label("Last name").fill("Whitlock")
        page.get_by_label("Email address").fill("imogen@example.org")
        page.get_by_label("Phone number").fill("07700 900555")
        page.get_by_label("Treatment").select_option(label="Hygienist appointment")
        page.get_by_label("Your question").fill("Is whitening safe with crowns?")
        page.get_by_label("Email me offers").check()
        page.wait_for_timeout(1100)  # a person takes longer than the minimum fill time
        page.get_by_role("button", name="Send enquiry").click()
        expect(page.get_by_role("status")).to_have_text(
            "Thank you. Your enquiry has been sent and the clinic will be in touch soon."
        )
        expect(page.get_by_label("First name")).to_have_value("")

        # A later visit with awkward parameters: repeated (first wins), upper-case
        # names, encoded once, and more in the fragment. The first touch stays.
        page.goto(
            f"{site.url}/offers?UTM_SOURCE=News%2520letter&utm_source=second"
            "&utm_medium=e%2Bmail+blast#/prices?utm_campaign=winter%20smile&fbclid=FbX1"
        )
        page.wait_for_function("window.AESCRM && window.AESCRM.version")
        touches = page.evaluate("window.AESCRM.touches()")
        assert touches["first"]["gclid"] == "TeSt123"
        last = touches["last"]
        assert (last["utm_source"], last["utm_medium"], last["utm_campaign"]) == (
            "News%20letter",
            "e+mail blast",
            "winter smile",
        )
        assert last["fbclid"] == "FbX1"
        assert last["fbc"] == f"fb.1.{last['occurred_at']}.FbX1"
        assert "gclid" not in last
        # Kept 90 days with consent; refused, nothing outlives the session.
        assert page.evaluate("localStorage.getItem('aescrm_touches')") is not None
        page.evaluate("window.AESCRM.consent('denied')")
        assert page.evaluate("localStorage.getItem('aescrm_touches')") is None
        assert page.evaluate("window.AESCRM.touches().last.marketing_consent") is False
    finally:
        site.close()

    try:
        with clinic_scope(clinic_a.clinic.pk):
            patient = Patient.objects.get()
            wording = ConsentEvent.objects.get(patient=patient).wording
    finally:
        # Under Playwright's greenlets this code has its own database connection;
        # close it so the test database can be dropped at the end of the session.
        connection.close()
    assert (patient.first_name, patient.email, patient.consent["email"]) == (
        "Imogen",
        "imogen@example.org",
        True,
    )
    # The widget kept the words beside the box as evidence of the consent.
    assert wording == (
        "Email me offers and news from Alpha Dental. You can unsubscribe at any time."
    )
    detail = clinic_a.api().get(f"/api/v1/patients/{patient.pk}")
    connection.close()
    assert detail.status_code == 200, detail.content
    first = detail.json()["first_touch"]
    assert {k: v for k, v in first.items() if v is not None} == {
        "gclid": "TeSt123",
        "utm_source": "google",
        "utm_medium": "cpc",
        "utm_campaign": "spring_whitening",
        "landing_page": f"{site.url}/whitening?{AD_QUERY}",
        "channel": "paid_search",
        "occurred_at": first["occurred_at"],
        "marketing_consent": True,
    }
    assert problems == []
