"""Junk in, a 4xx problem out: never a 500, never a half-written record."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from aescrm.public.tests.support import SITE, enquiries, enquiry, patients, post_json, url

pytestmark = pytest.mark.django_db


def _raw(clinic: Any, body: bytes, content_type: str, **extra: Any) -> Any:
    return Client().post(url(clinic), body, content_type=content_type, HTTP_ORIGIN=SITE, **extra)


@pytest.mark.parametrize(
    ("body", "content_type", "status", "field"),
    [
        (b"{not json", "application/json", 400, "body"),
        (b"\xff\xfe{}", "application/json", 400, "body"),
        (b"[1, 2]", "application/json", 422, "body"),
        (b'"text"', "application/json", 422, "body"),
        (b"null", "application/json", 422, "body"),
        (b"[" * 100_00 + b"]" * 100_00, "application/json", 400, "body"),
        (b"first_name=Ada&email=a@example.org", "text/plain", 415, "Content-Type"),
        (b"<enquiry/>", "application/xml", 415, "Content-Type"),
        (b"", "", 415, "Content-Type"),
        (b"consent=on&consent.sms=on&first_name=A&email=a@example.org",
         "application/x-www-form-urlencoded", 422, "consent"),
        (b"first_name=A&email=a%40example.org&first_touch=x&first_touch.gclid=y",
         "application/x-www-form-urlencoded", 422, "first_touch"),
        (b"\xff\xfe=\xff&first_name=\xff", "application/x-www-form-urlencoded", 422, "email"),
        (b"&".join(b"f%d=x" % n for n in range(1500)), "application/x-www-form-urlencoded", 400,
         "body"),
        (b"&".join(b"f%d=x" % n for n in range(300)), "application/x-www-form-urlencoded", 422,
         "body"),
    ],
)  # fmt: skip
def test_unreadable_bodies(
    clinic_a: Any, body: bytes, content_type: str, status: int, field: str
) -> None:
    response = _raw(clinic_a.clinic, body, content_type)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == field
    assert patients(clinic_a.clinic) == []


def test_oversized_bodies_get_413(clinic_a: Any, settings: Any) -> None:
    settings.PUBLIC_MAX_BODY_BYTES = 1024
    big = post_json(clinic_a.clinic, enquiry(message="x" * 2000))
    assert big.status_code == 413
    assert big.json()["title"] == "Payload too large"
    lying = _raw(clinic_a.clinic, b"{}", "application/json", CONTENT_LENGTH="99999999")
    assert lying.status_code == 413
    assert patients(clinic_a.clinic) == []


def test_a_multipart_form_works_too(clinic_a: Any) -> None:
    response = Client().post(
        url(clinic_a.clinic),
        {"first_name": "Ada", "email": "ada@example.org", "first_touch.utm_source": "bing"},
        HTTP_ORIGIN=SITE,
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 201
    assert len(enquiries(clinic_a.clinic)) == 1


def test_odd_but_harmless_fields_are_ignored_or_kept(clinic_a: Any) -> None:
    response = post_json(
        clinic_a.clinic,
        enquiry(**{"\x00weird": "x", "a.b.c": "deep", "Budget (£)": "500", "colour": ["red"]}),
    )
    assert response.status_code == 201
    [enq] = enquiries(clinic_a.clinic)
    assert enq.message == "I'd like to ask about whitening.\n\nBudget (£): 500"


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = st.sampled_from(
    ["first_name", "last_name", "email", "phone", "treatment", "message", "preferred_time",
     "consent", "consent_wording", "first_touch", "last_touch", "website", "rendered_at",
     "fill_ms"]
)  # fmt: skip


@hsettings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(junk=st.dictionaries(FIELDS, JSONISH, max_size=6))
def test_fuzzed_json_never_gets_a_500(clinic_a: Any, settings: Any, junk: dict[str, Any]) -> None:
    settings.PUBLIC_RATE_PER_IP_PER_MINUTE = 10_000
    settings.PUBLIC_RATE_PER_CLINIC_PER_MINUTE = 10_000
    response = post_json(clinic_a.clinic, {**enquiry(), **junk})
    assert response.status_code in (201, 400, 413, 422), (junk, response.content)
    if response.status_code != 201:
        assert response.json()["errors"][0]["field"]


@hsettings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.binary(min_size=1, max_size=300))  # an empty body has no content type
def test_fuzzed_bytes_never_get_a_500(clinic_a: Any, settings: Any, body: bytes) -> None:
    settings.PUBLIC_RATE_PER_IP_PER_MINUTE = 10_000
    settings.PUBLIC_RATE_PER_CLINIC_PER_MINUTE = 10_000
    for content_type in ("application/json", "application/x-www-form-urlencoded"):
        response = _raw(clinic_a.clinic, body, content_type)
        assert response.status_code in (201, 400, 413, 422), (body, response.content)


def test_json_dumps_of_the_fuzz_helpers_is_stable() -> None:
    assert json.loads(json.dumps(enquiry()))["first_name"] == "Ada"


def test_nul_and_surrogates_in_paths_headers_and_bodies(clinic_a: Any) -> None:
    client = Client()
    assert (
        client.post(
            "/public/v1/pk_%00x/enquiries", "{}", content_type="application/json"
        ).status_code
        == 404
    )
    lone = _raw(
        clinic_a.clinic, b'{"first_name": "\\ud800", "email": "a@example.org"}', "application/json"
    )
    assert lone.status_code == 400
    deep = _raw(
        clinic_a.clinic, b'{"first_touch": ' + b"[" * 500 + b"]" * 500 + b"}", "application/json"
    )
    assert deep.status_code == 422
    ua = post_json(clinic_a.clinic, enquiry(), HTTP_USER_AGENT="bot\x00\x01")
    assert ua.status_code == 201
    assert len(enquiries(clinic_a.clinic)) == 1
