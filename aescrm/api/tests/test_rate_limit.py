"""Per-key rate limits answer 429 with Retry-After."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.accounts.services import api_key_create
from aescrm.api.tests.helpers import assert_problem
from aescrm.testing.fixtures import ApiClient

pytestmark = pytest.mark.django_db


def test_a_key_over_its_limit_gets_429_with_retry_after(clinic_a: Any) -> None:
    """A key limited to 3 a minute: the 4th request in a minute is refused; others are not."""
    _, secret = api_key_create(
        clinic=clinic_a.clinic, name="slow", scopes=["catalogue:read"], rate_limit=3
    )
    limited = ApiClient(secret)

    first = [limited.get("/api/v1/treatments").status_code for _ in range(3)]
    # A minute boundary may reset the window once; within two windows the limit must bite.
    later = [limited.get("/api/v1/treatments") for _ in range(5)]
    refused = [r for r in later if r.status_code == 429]

    assert first == [200, 200, 200]
    assert refused, [r.status_code for r in later]
    body = assert_problem(refused[0], 429)
    assert body["detail"] == "this API key is limited to 3 requests a minute"
    assert 1 <= int(refused[0]["Retry-After"]) <= 60
    assert body["retry_after"] == int(refused[0]["Retry-After"])
    # Another key of the same clinic is not affected.
    assert clinic_a.api().get("/api/v1/treatments").status_code == 200
