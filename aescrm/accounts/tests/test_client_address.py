"""The visitor's address behind our own reverse proxy, without trusting what clients send."""

from __future__ import annotations

import pytest
from django.http import HttpRequest
from django.test import RequestFactory, override_settings

from aescrm.accounts.middleware import client_ip


def _request(remote: str, forwarded: str | None = None) -> HttpRequest:
    request = RequestFactory().get("/")
    request.META["REMOTE_ADDR"] = remote
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


def test_without_proxies_the_connection_address_counts_and_headers_are_ignored() -> None:
    assert client_ip(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


@override_settings(TRUSTED_PROXY_COUNT=1)
@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        # Our proxy appended the peer it saw: that is the visitor.
        ("198.51.100.7", "198.51.100.7"),
        # A client claiming another address gets it ignored: only our proxy's entry counts.
        ("10.0.0.1, 198.51.100.7", "198.51.100.7"),
        ("2001:db8::1", "2001:db8::1"),
        # Nothing usable: fall back to the connection's address.
        ("", "127.0.0.1"),
        ("not-an-address", "127.0.0.1"),
    ],
)
def test_behind_one_proxy_the_rightmost_forwarded_address_counts(
    forwarded: str, expected: str
) -> None:
    assert client_ip(_request("127.0.0.1", forwarded)) == expected


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_behind_two_proxies_the_second_from_the_right_counts() -> None:
    request = _request("127.0.0.1", "10.9.9.9, 198.51.100.7, 172.16.0.2")
    assert client_ip(request) == "198.51.100.7"
