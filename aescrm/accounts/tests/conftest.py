"""Fixtures of the accounts tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import override_settings

from aescrm.accounts.tests.signup_support import PLATFORM_TOKEN
from aescrm.testing.fakes.postmark import FakePostmark


@pytest.fixture
def platform_mail() -> Iterator[FakePostmark]:
    """A fake Postmark taking the platform's account emails (sign-up links)."""
    fake = FakePostmark(server_token=PLATFORM_TOKEN)
    fake.start()
    try:
        with override_settings(ACCOUNT_EMAIL_TOKEN=PLATFORM_TOKEN, POSTMARK_API_BASE=fake.api_base):
            yield fake
    finally:
        fake.stop()
