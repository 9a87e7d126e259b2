"""Fixtures of the inbox tests: a fake Twilio over HTTP (from the messaging tests) and a clinic
whose texts go at any hour, so no test depends on the wall clock."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aescrm.mail.tests.conftest import postmark_fake  # noqa: F401 (a fixture)
from aescrm.messaging.models import MessagingSettings
from aescrm.messaging.tests.conftest import connect, twilio_fake  # noqa: F401 (a fixture)
from aescrm.testing.fixtures import ClinicWorld

MIDNIGHT = dt.time(0, 0)


def no_quiet_hours(world: ClinicWorld) -> MessagingSettings:
    """Connected to the fake Twilio's number with quiet hours off (start == end)."""
    return connect(world, quiet_start=MIDNIGHT, quiet_end=MIDNIGHT)


@pytest.fixture
def console(settings: Any) -> None:
    """Console mode: messages are recorded as sent, nothing leaves the machine."""
    settings.MESSAGING_MODE = "console"
