"""Billing tests' fakes: Stripe over real HTTP (``stripe_fake``), and the messaging,
mail and automation fakes and clock shared from their apps."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from aescrm.automation.tests.conftest import clock, recipe_clinic  # noqa: F401
from aescrm.mail.tests.conftest import postmark_fake  # noqa: F401
from aescrm.messaging.tests.conftest import twilio_fake  # noqa: F401
from aescrm.testing.fakes.stripe import PRICES, SECRET_KEY, WEBHOOK_SECRET, FakeStripe

PUBLIC = "https://crm.example"


@pytest.fixture
def stripe_fake(settings: Any, monkeypatch: Any) -> Iterator[FakeStripe]:
    fake = FakeStripe()
    fake.start()
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = fake.api_base
    settings.PUBLIC_BASE_URL = PUBLIC
    for price in PRICES:  # price_starter → STRIPE_PRICE_STARTER=price_starter
        monkeypatch.setenv(f"STRIPE_PRICE_{price.removeprefix('price_').upper()}", price)
    try:
        yield fake
    finally:
        fake.stop()
