"""Per-IP and per-clinic rate limits answer 429 with Retry-After."""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any

import pytest

from aescrm.public import ratelimit
from aescrm.public.models import PublicRateWindow
from aescrm.public.tests.support import enquiries, enquiry, post_json

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _one_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's requests fall in one rate window: one started at hh:mm:59 would see
    its count start again halfway through (the limiter's own clock, nothing else's)."""
    mid_minute = time.time() // 60 * 60 + 30
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: mid_minute))


def test_one_ip_is_limited(clinic_a: Any, clinic_b: Any, settings: Any) -> None:
    settings.PUBLIC_RATE_PER_IP_PER_MINUTE = 3
    for n in range(3):
        assert post_json(clinic_a.clinic, enquiry(email=f"p{n}@example.org")).status_code == 201
    refused = post_json(clinic_a.clinic, enquiry(email="p9@example.org"))
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["title"] == "Too many requests"
    assert refused["Access-Control-Allow-Origin"] == "https://alpha.example"
    # The IP's limit spans clinics; another address is still served.
    assert post_json(clinic_b.clinic, enquiry(), origin="https://bravo.example").status_code == 429
    other_ip = post_json(clinic_a.clinic, enquiry(email="q@example.org"), REMOTE_ADDR="10.0.0.9")
    assert other_ip.status_code == 201
    assert len(enquiries(clinic_a.clinic)) == 4
    # Addresses are kept only as keyed hashes.
    assert not PublicRateWindow.objects.filter(bucket__contains="127.0.0.1").exists()


def test_one_ipv6_network_is_limited_as_one_visitor(clinic_a: Any, settings: Any) -> None:
    """One connection gets a whole /64: rotating through it is still one visitor."""
    settings.PUBLIC_RATE_PER_IP_PER_MINUTE = 2
    for n in range(2):
        ip = f"2001:db8:1:2::{n + 1:x}"
        response = post_json(clinic_a.clinic, enquiry(email=f"v6-{n}@example.org"), REMOTE_ADDR=ip)
        assert response.status_code == 201
    rotated = post_json(clinic_a.clinic, enquiry(), REMOTE_ADDR="2001:db8:1:2:ffff:1:2:3")
    assert rotated.status_code == 429
    next_network = post_json(clinic_a.clinic, enquiry(), REMOTE_ADDR="2001:db8:1:3::1")
    assert next_network.status_code == 201
    # An IPv4 address written as IPv6 is the same visitor as the IPv4 address.
    assert ratelimit.ip_bucket("::ffff:192.0.2.7") == ratelimit.ip_bucket("192.0.2.7")


def test_one_clinic_is_limited(clinic_a: Any, clinic_b: Any, settings: Any) -> None:
    settings.PUBLIC_RATE_PER_CLINIC_PER_MINUTE = 2
    for n in range(2):
        ip = f"10.0.1.{n}"
        assert post_json(clinic_a.clinic, enquiry(), REMOTE_ADDR=ip).status_code == 201
    assert post_json(clinic_a.clinic, enquiry(), REMOTE_ADDR="10.0.1.7").status_code == 429
    b = post_json(
        clinic_b.clinic, enquiry(), origin="https://bravo.example", REMOTE_ADDR="10.0.2.1"
    )
    assert b.status_code == 201


def test_windows_roll_over_and_old_ones_are_forgotten() -> None:
    start = 1_800_000_000.0 - (1_800_000_000 % 60)
    assert ratelimit.hit("clinic:x", 2, now=start).used == 1
    assert ratelimit.hit("clinic:x", 2, now=start + 1).allowed
    third = ratelimit.hit("clinic:x", 2, now=start + 50)
    assert (third.allowed, third.retry_after) == (False, 10)
    assert ratelimit.hit("clinic:x", 2, now=start + 60).used == 1
    assert PublicRateWindow.objects.count() == 1
