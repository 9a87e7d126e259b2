"""A fake Twilio over real HTTP, a clinic connected to it, and signed webhook posts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from twilio.request_validator import RequestValidator

from aescrm.core.tenancy import clinic_scope
from aescrm.messaging import services
from aescrm.messaging.models import MessagingSettings
from aescrm.testing.fakes import twilio as fake_twilio
from aescrm.testing.fakes.twilio import FakeTwilio
from aescrm.testing.fixtures import ClinicWorld

PUBLIC = "https://crm.example.org"
NUMBER_B = "+447700900002"


@pytest.fixture
def twilio_fake(settings: Any) -> Iterator[FakeTwilio]:
    fake = FakeTwilio()
    fake.start()
    settings.TWILIO_API_BASE = fake.api_base
    settings.MESSAGING_MODE = "live"
    settings.PUBLIC_BASE_URL = PUBLIC
    yield fake
    fake.stop()


def connect(
    world: ClinicWorld, number: str = fake_twilio.NUMBER, **extra: Any
) -> MessagingSettings:
    with clinic_scope(world.clinic.pk):
        return services.settings_set(
            caller=world.caller(),
            account_sid=fake_twilio.ACCOUNT_SID,
            auth_token=fake_twilio.AUTH_TOKEN,
            sending_number=number,
            **extra,
        )


def signed_post(
    path: str,
    params: dict[str, str],
    *,
    token: str = fake_twilio.AUTH_TOKEN,
    url: str | None = None,
) -> Any:
    """POST as Twilio does: form-encoded, signed for the public URL with the real algorithm."""
    signature = RequestValidator(token).compute_signature(url or f"{PUBLIC}{path}", params)
    return Client().post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)


def inbound(body: str, *, sender: str, sid: str, to: str = fake_twilio.NUMBER, **kw: Any) -> Any:
    params = {
        "MessageSid": sid,
        "SmsSid": sid,
        "AccountSid": fake_twilio.ACCOUNT_SID,
        "From": sender,
        "To": to,
        "Body": body,
        "NumMedia": "0",
        "NumSegments": "1",
    }
    return signed_post("/webhooks/twilio/sms", params, **kw)
