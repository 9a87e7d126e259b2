"""A fake Stripe over real HTTP for every billing test that asks for ``stripe_fake``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

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
