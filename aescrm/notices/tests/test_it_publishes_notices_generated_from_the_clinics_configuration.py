"""The public privacy notice and AI disclosure say what the clinic has switched on, need no
sign-in, load nothing from elsewhere, and an unknown key is a 404."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from aescrm.erasure.notice_text import BACKUPS_TEXT, SUPPRESSION_TEXT
from aescrm.notices.tests.support import with_ads, with_assistant, with_sms
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import text

pytestmark = pytest.mark.django_db


def _page(world: ClinicWorld, notice: str = "privacy") -> str:
    response = Client().get(f"/p/{world.clinic.public_key}/{notice}")
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    return text(response)


def test_a_clinic_with_defaults_gets_the_whole_notice(clinic_a: ClinicWorld) -> None:
    page = _page(clinic_a)

    assert "<h1>Privacy notice: Alpha Dental</h1>" in page
    for title in (
        "Who we are",
        "What we hold about you",
        "Why we use it, and our lawful bases",
        "How long we keep it",
        "Your rights",
        "If you ask us to erase your data",
        "Complaints",
    ):
        assert f">{title}</h2>" in page
    assert SUPPRESSION_TEXT.replace("'", "&#x27;") in page
    assert BACKUPS_TEXT.replace("'", "&#x27;") in page
    assert "Information Commissioner&#x27;s Office (ICO)" in page
    assert "Advertising measurement data (click ids, campaign and page details): 2 years" in page
    assert "one calendar month" in page
    # Nothing configured: no SMS, no Twilio, no ad platforms.
    assert "Text messages (SMS)" not in page
    assert "Twilio" not in page
    assert "Advertising measurement</h2>" not in page
    # Built-in assistant: nothing goes to an outside service.
    assert "sends what you type to no outside service" in page


def test_the_notice_follows_channels_ad_platforms_and_the_assistant_engine(
    clinic_a: ClinicWorld,
) -> None:
    with_sms(clinic_a, forwarding_number="+447700900999")
    with_ads(clinic_a, meta_enabled=True)
    with_assistant(
        clinic_a, engine="llm", llm_base_url="https://llm.example.net/v1", llm_model="m1"
    )

    page = _page(clinic_a)
    ai = _page(clinic_a, "ai")

    assert "Text messages (SMS)" in page
    assert "Phone calls to our number" in page
    assert (
        "Twilio Inc. (USA (with EU edge locations)): Sending and receiving SMS, and routing "
        "phone calls" in page
    )
    assert "Advertising measurement</h2>" in page
    assert "we tell Meta that the click" in page
    assert "Google Ads" not in page
    assert "language model run by an outside service (llm.example.net)" in page
    assert "<h1>How we use AI: Alpha Dental</h1>" in ai
    assert "(llm.example.net)" in ai
    assert "not a person" in ai
    assert "call 999, NHS 111" in ai


def test_a_switched_off_assistant_leaves_the_chat_out(clinic_a: ClinicWorld) -> None:
    with_assistant(clinic_a, enabled=False)

    page = _page(clinic_a)
    ai = _page(clinic_a, "ai")

    assert "Our website assistant</h2>" not in page
    assert "does not use an automated assistant" in ai


def test_the_public_pages_load_nothing_from_elsewhere(clinic_a: ClinicWorld) -> None:
    page = _page(clinic_a)

    assert "<script" not in page
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources
    assert all(s.startswith(("/", "data:", "http://127.0.0.1:8000/")) for s in sources), sources


@pytest.mark.parametrize("notice", ["privacy", "ai"])
def test_an_unknown_key_is_404(clinic_a: ClinicWorld, notice: str) -> None:
    assert Client().get(f"/p/pk_nobodyhasthiskey123/{notice}").status_code == 404
    assert Client().get(f"/p/not a key/{notice}").status_code == 404
