"""Bad sign-up input: the form says which field and why, and nothing is sent or kept."""

from __future__ import annotations

import pytest
from django.test import Client

from aescrm.accounts.models import PendingSignup
from aescrm.accounts.tests.signup_support import (
    sign_up,
)
from aescrm.testing.fakes.postmark import FakePostmark


@pytest.mark.parametrize(
    ("fields", "field_id", "message"),
    [
        ({"password": "short pass"}, "id_password", "at least 12 characters"),
        ({"password": "password1234"}, "id_password", "too common"),
        ({"email": "grace@"}, "id_email", "enter an email address like"),
        ({"email": ""}, "id_email", "Enter your email address"),
        ({"clinic_name": "   "}, "id_clinic_name", "Enter your clinic"),
        ({"full_name": ""}, "id_full_name", "Enter your full name"),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    db: object, platform_mail: FakePostmark, fields: dict[str, str], field_id: str, message: str
) -> None:
    response = sign_up(Client(), **fields)

    assert response.status_code == 400
    html = response.content.decode()
    assert f'<p class="error" id="{field_id}_error">' in html
    error = html.split(f'id="{field_id}_error">', 1)[1].split("</p>", 1)[0]
    assert message.lower() in error.lower()
    assert not PendingSignup.objects.exists()
    assert platform_mail.messages == []


def test_too_many_sign_ups_from_one_network_are_refused(
    db: object, platform_mail: FakePostmark, settings: object
) -> None:
    settings.SIGNUP_RATE_PER_IP_PER_MINUTE = 2  # type: ignore[attr-defined]
    client = Client()
    for n in range(2):
        assert sign_up(client, email=f"person{n}@example.org").status_code == 302
    response = sign_up(client, email="person9@example.org")

    assert response.status_code == 429
    assert "too many sign-ups from your network" in response.content.decode().lower()
    assert int(response["Retry-After"]) > 0
    assert not PendingSignup.objects.filter(email="person9@example.org").exists()
