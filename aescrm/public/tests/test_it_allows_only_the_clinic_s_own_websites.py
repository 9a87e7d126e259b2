"""CORS: a clinic's endpoint answers browsers on its own domains and no others."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from aescrm.accounts.models import Clinic
from aescrm.public.cors import origin_allowed
from aescrm.public.tests.support import enquiry, patients, post_json, url


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("https://alpha.example", True),
        ("https://www.alpha.example", True),
        ("https://ALPHA.example", True),
        ("https://alpha.example:8443", True),
        ("http://alpha.example", False),
        ("https://evil-alpha.example", False),
        ("https://alpha.example.evil.test", False),
        ("https://shop.alpha.example", False),
        ("null", False),
        ("", False),
        ("https://alpha.example/path", False),
        ("https://[::1", False),
        ("http://localhost:8000", False),
    ],
)
def test_origin_rules(origin: str, allowed: bool) -> None:
    clinic = Clinic(website_domains=["alpha.example"])
    assert origin_allowed(clinic, origin) is allowed


def test_domain_entries_may_carry_www_a_port_or_localhost() -> None:
    clinic = Clinic(
        website_domains=["www.alpha.example", "localhost:8000", "https://beta.example/"]
    )
    assert origin_allowed(clinic, "https://alpha.example")
    assert origin_allowed(clinic, "https://www.alpha.example")
    assert origin_allowed(clinic, "http://localhost:8000")
    assert not origin_allowed(clinic, "http://localhost:9000")
    assert origin_allowed(clinic, "https://beta.example")


@pytest.mark.django_db
def test_preflight_from_the_clinic_s_site(clinic_a: Any) -> None:
    response = Client().options(
        url(clinic_a.clinic),
        HTTP_ORIGIN="https://alpha.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type, idempotency-key",
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "https://alpha.example"
    assert response["Access-Control-Allow-Methods"] == "POST, OPTIONS"
    assert "Idempotency-Key" in response["Access-Control-Allow-Headers"]
    assert "Origin" in response["Vary"]
    assert "Access-Control-Allow-Credentials" not in response


@pytest.mark.django_db
def test_preflight_and_post_from_another_site_get_no_cors_headers(clinic_a: Any) -> None:
    preflight = Client().options(
        url(clinic_a.clinic),
        HTTP_ORIGIN="https://evil.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert preflight.status_code == 403
    assert "Access-Control-Allow-Origin" not in preflight
    post = post_json(clinic_a.clinic, enquiry(), origin="https://evil.example")
    assert post.status_code == 403
    assert post.json()["errors"] == [
        {"field": "Origin", "message": "this website is not one of the clinic's domains"}
    ]
    assert "Access-Control-Allow-Origin" not in post
    assert patients(clinic_a.clinic) == []


@pytest.mark.django_db
def test_allowed_post_carries_cors_headers_and_no_origin_means_no_browser(clinic_a: Any) -> None:
    ok = post_json(clinic_a.clinic, enquiry())
    assert ok.status_code == 201
    assert ok["Access-Control-Allow-Origin"] == "https://alpha.example"
    error = post_json(clinic_a.clinic, enquiry(email="", phone=""))
    assert error.status_code == 422
    assert error["Access-Control-Allow-Origin"] == "https://alpha.example"
    # A server-side integration (no Origin header) is not a browser: CORS does not apply.
    server = post_json(clinic_a.clinic, enquiry(email="b@example.org", phone=""), origin=None)
    assert server.status_code == 201
    assert "Access-Control-Allow-Origin" not in server
    assert len(patients(clinic_a.clinic)) == 2


@pytest.mark.django_db
def test_only_post_and_options(clinic_a: Any) -> None:
    response = Client().get(url(clinic_a.clinic))
    assert response.status_code == 405
    assert response["Allow"] == "POST, OPTIONS"
