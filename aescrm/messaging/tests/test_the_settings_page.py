"""/settings/messaging: owners and managers set up Twilio texts and calls; the token is secret."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.messaging.models import MessagingSettings
from aescrm.messaging.tests.conftest import NUMBER_B, PUBLIC, connect
from aescrm.testing.fakes import twilio as fake_twilio
from aescrm.testing.fakes.twilio import FakeTwilio
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client, text

URL = "/settings/messaging"
TEST_URL = "/settings/messaging/test"


def _form(**changes: Any) -> dict[str, Any]:
    data = {
        "account_sid": fake_twilio.ACCOUNT_SID,
        "auth_token": "",
        "sending_number": "07700 900001",
        "messaging_service_sid": "",
        "quiet_start": "21:00",
        "quiet_end": "08:00",
        "help_contact": "call 020 7946 0000",
        "forwarding_number": "020 7946 0000",
        "ring_seconds": "30",
        "missed_call_text_enabled": "on",
        "missed_call_text": "Sorry we missed you at {{ clinic_name }}. We'll call you back.",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _row(world: ClinicWorld) -> MessagingSettings:
    with clinic_scope(world.clinic.pk):
        row = MessagingSettings.objects.get()
        str(row.twilio_auth_token)  # decrypt while in scope
        return row


@pytest.mark.parametrize("role", ["owner", "manager"])
def test_owners_and_managers_save_texts_and_calls(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio, role: str
) -> None:
    connect(clinic_a)
    client = member_client(clinic_a, role)

    response = client.post(URL, _form())

    assert response.status_code == 302
    row = _row(clinic_a)
    assert (row.twilio_account_sid, row.sending_number) == (
        fake_twilio.ACCOUNT_SID,
        fake_twilio.NUMBER,
    )
    assert str(row.twilio_auth_token) == fake_twilio.AUTH_TOKEN  # blank kept the saved token
    assert (row.forwarding_number, row.ring_seconds) == ("+442079460000", 30)
    assert row.missed_call_text_enabled is True
    assert row.missed_call_text == "Sorry we missed you at {{ clinic_name }}. We'll call you back."
    assert row.help_contact == "call 020 7946 0000"
    page = text(client.get(URL))
    assert "Texts and calls settings saved." in page
    assert 'value="+442079460000"' in page


def test_a_new_token_replaces_the_old_and_is_never_shown(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    connect(clinic_a)
    client = member_client(clinic_a, "owner")
    assert fake_twilio.AUTH_TOKEN not in text(client.get(URL))
    assert "An auth token is saved." in text(client.get(URL))

    client.post(URL, _form(auth_token="a-brand-new-token-0002"))

    assert str(_row(clinic_a).twilio_auth_token) == "a-brand-new-token-0002"
    page = text(client.get(URL))
    assert "a-brand-new-token-0002" not in page
    # Refused with errors, the typed token is not echoed either.
    refused = text(client.post(URL, _form(auth_token="typed-token-0003", ring_seconds="5")))
    assert "typed-token-0003" not in refused
    with clinic_scope(clinic_a.clinic.pk):
        entry = AuditEntry.objects.filter(action="messaging.settings").latest("id")
    assert "twilio_auth_token" in entry.detail["fields"]
    assert "a-brand-new-token-0002" not in str(entry.detail)


def test_the_page_shows_the_addresses_to_paste_into_twilio(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    page = text(member_client(clinic_a, "owner").get(URL))
    for path in (
        "/webhooks/twilio/sms",
        "/webhooks/twilio/status",
        "/webhooks/twilio/voice",
        "/webhooks/twilio/voice/status",
    ):
        assert f'<code class="detail">{PUBLIC}{path}</code>' in page


def test_bad_input_is_refused_naming_each_field_and_nothing_changes(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    connect(clinic_a)
    before = _row(clinic_a)

    response = member_client(clinic_a, "owner").post(
        URL,
        _form(
            account_sid="SK123",
            forwarding_number="not a phone",
            ring_seconds="5",
            missed_call_text="Hi {{ first_name }}, sorry we missed you",
            quiet_end="25:99",
        ),
    )

    assert response.status_code == 400
    page = text(response)
    assert "An account SID is AC followed by 32 letters and digits" in page
    assert "&#x27;not a phone&#x27; is not a phone number" in page
    assert "Ring for at least 10 seconds." in page
    assert "{{ first_name }} is not available here" in page
    assert "Enter a time like 21:00." in page
    for name in ("account_sid", "forwarding_number", "ring_seconds", "missed_call_text"):
        assert f'<p class="error" id="id_{name}_error">' in page
    after = _row(clinic_a)
    assert (after.twilio_account_sid, after.forwarding_number, after.updated_at) == (
        before.twilio_account_sid,
        before.forwarding_number,
        before.updated_at,
    )


def test_forwarding_calls_to_the_twilio_number_itself_is_refused(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    connect(clinic_a)
    response = member_client(clinic_a, "owner").post(URL, _form(forwarding_number="07700 900001"))
    assert response.status_code == 400
    assert "calls cannot be forwarded to the twilio number itself" in text(response).lower()
    assert _row(clinic_a).forwarding_number == ""


def test_another_clinics_number_is_refused(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    connect(clinic_b, number=NUMBER_B)
    response = member_client(clinic_a, "owner").post(URL, _form(sending_number=NUMBER_B))
    assert response.status_code == 400
    assert "this number is already used by another clinic" in text(response).lower()
    with clinic_scope(clinic_a.clinic.pk):
        assert not MessagingSettings.objects.exists()


def test_test_connection_says_what_twilio_said_and_saves_nothing(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio, settings: Any
) -> None:
    connect(clinic_a)
    client = member_client(clinic_a, "owner")

    ok = text(client.post(TEST_URL, _form(ring_seconds="45")))  # blank token: the saved one
    refused = text(client.post(TEST_URL, _form(auth_token="not-the-token")))
    settings.TWILIO_API_BASE = "http://127.0.0.1:1"
    unreachable = text(client.post(TEST_URL, _form()))

    assert "Connected to Alpha Dental (fake Twilio)." in ok
    assert 'value="45"' in ok  # the form as typed, not saved
    assert "Twilio refused these credentials (401)." in refused
    assert "not-the-token" not in refused
    assert "Twilio could not be reached." in unreachable
    asked = [r.path for r in twilio_fake.requests if r.method == "GET"]
    assert asked == [f"/2010-04-01/Accounts/{fake_twilio.ACCOUNT_SID}.json"] * 2
    assert _row(clinic_a).ring_seconds == 25


def test_another_clinic_neither_sees_nor_changes_these_settings(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    connect(clinic_a, forwarding_number="+441632960001")
    outsider = member_client(clinic_b, "owner")

    page = text(outsider.get(URL))
    assert fake_twilio.NUMBER not in page and "+441632960001" not in page
    outsider.post(URL, _form(sending_number=NUMBER_B, forwarding_number="+441632960002"))
    outsider.post(TEST_URL, _form())  # tries clinic A's SID with clinic B's (absent) token

    row = _row(clinic_a)
    assert (row.sending_number, row.forwarding_number) == (fake_twilio.NUMBER, "+441632960001")
    assert _row(clinic_b).sending_number == NUMBER_B
    assert not [r for r in twilio_fake.requests if r.method == "GET"]


@pytest.mark.parametrize("role", ["receptionist", "clinician", "marketer", "auditor"])
def test_other_roles_are_refused(clinic_a: ClinicWorld, twilio_fake: FakeTwilio, role: str) -> None:
    connect(clinic_a)
    client = member_client(clinic_a, role)
    assert client.get(URL).status_code == 403
    assert client.post(URL, _form(forwarding_number="+441632960009")).status_code == 403
    assert client.post(TEST_URL, _form()).status_code == 403
    assert _row(clinic_a).forwarding_number == ""
    assert "/settings/messaging" not in text(client.get("/"))


def test_owners_find_it_in_the_navigation(clinic_a: ClinicWorld, twilio_fake: FakeTwilio) -> None:
    page = text(member_client(clinic_a, "manager").get("/"))
    assert '<a href="/settings/messaging"' in page
    assert "Texts &amp; calls" in page
