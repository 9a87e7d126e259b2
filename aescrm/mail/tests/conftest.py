"""A fake Postmark over real HTTP, a clinic connected to it, and webhook posts as Postmark
makes them (JSON, HTTP basic auth with the clinic's webhook login)."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client

from aescrm.core.tenancy import clinic_scope
from aescrm.mail import services
from aescrm.mail.models import MailSettings
from aescrm.testing.fakes import postmark as fake_postmark
from aescrm.testing.fakes.postmark import FakePostmark
from aescrm.testing.fixtures import ClinicWorld

PUBLIC = "https://crm.example.org"
SENDER = "hello@alphadental.example"
INBOUND = "4f1a2b3c@inbound.postmarkapp.com"


@pytest.fixture
def postmark_fake(settings: Any) -> Iterator[FakePostmark]:
    fake = FakePostmark()
    fake.start()
    settings.POSTMARK_API_BASE = fake.api_base
    settings.MESSAGING_MODE = "live"
    settings.PUBLIC_BASE_URL = PUBLIC
    yield fake
    fake.stop()


def connect(world: ClinicWorld, **extra: Any) -> MailSettings:
    data = services.MailSettingsInput(
        server_token=fake_postmark.SERVER_TOKEN,
        sender_email=SENDER,
        sender_name="",
        inbound_address=INBOUND,
    )
    for name, value in extra.items():
        setattr(data, name, value)
    with clinic_scope(world.clinic.pk):
        return services.settings_set(caller=world.caller(), data=data)


def login_of(row: MailSettings) -> tuple[str, str]:
    with clinic_scope(row.clinic_id):
        return row.webhook_user, str(MailSettings.objects.get(pk=row.pk).webhook_password)


def post_hook(path: str, payload: dict[str, Any], login: tuple[str, str] | None) -> Any:
    extra: dict[str, Any] = {}
    if login is not None:
        token = base64.b64encode(f"{login[0]}:{login[1]}".encode()).decode()
        extra["HTTP_AUTHORIZATION"] = f"Basic {token}"
    return Client().post(path, json.dumps(payload), content_type="application/json", **extra)


@pytest.fixture
def midday() -> Iterator[None]:
    """The next 12:00 UTC, ticking: an email sent "now" is not held for quiet hours
    (21:00–08:00 London), whatever time the suite runs."""
    now = dt.datetime.now(dt.UTC)
    noon = now.replace(hour=12, minute=0, second=0, microsecond=0)
    if noon < now:
        noon += dt.timedelta(days=1)
    with time_machine.travel(noon, tick=True):
        yield
