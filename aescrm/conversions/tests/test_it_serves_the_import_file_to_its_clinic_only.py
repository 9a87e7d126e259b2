"""The Google Ads import file: API key scope, clinic isolation, bad input, the scheduled URL."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from aescrm.accounts.services import api_key_create
from aescrm.api.tests.helpers import assert_problem
from aescrm.audit.models import AuditEntry
from aescrm.conversions.tests.conftest import ATTENDED_NAME, configure, journey, touch
from aescrm.core.tenancy import clinic_scope
from aescrm.testing.fixtures import ApiClient

pytestmark = pytest.mark.django_db

URL = "/api/v1/conversions/google-ads.csv"
FEED_PASSWORD = "a-long-feed-password-2026"


def _basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


@pytest.fixture
def two_clinics(
    clinic_a: Any,
    clinic_b: Any,
    google_fake: Any,
    meta_fake: Any,
    django_capture_on_commit_callbacks: Any,
) -> tuple[Any, Any]:
    for world, gclid in ((clinic_a, "AlphaClick"), (clinic_b, "BravoClick")):
        configure(world, feed_username=f"{world.clinic.slug}-feed", feed_password=FEED_PASSWORD)
        journey(world, django_capture_on_commit_callbacks, last=touch(gclid=gclid))
    return clinic_a, clinic_b


def test_each_key_gets_its_own_clinics_conversions(two_clinics: Any) -> None:
    clinic_a, clinic_b = two_clinics

    body_a = clinic_a.api().get(URL).content.decode()
    body_b = clinic_b.api().get(URL).content.decode()

    assert "AlphaClick" in body_a and "BravoClick" not in body_a
    assert "BravoClick" in body_b and "AlphaClick" not in body_b
    with clinic_scope(clinic_a.clinic.pk):
        entry = AuditEntry.objects.filter(action="conversions.export").get()
    assert entry.detail["rows"] == 1


def test_a_key_without_the_scope_gets_403(clinic_a: Any) -> None:
    _, secret = api_key_create(clinic=clinic_a.clinic, name="x", scopes=["patients:read"])

    assert_problem(ApiClient(secret).get(URL), 403)


def test_no_key_gets_401(clinic_a: Any) -> None:
    assert_problem(ApiClient("").get(URL), 401)


@pytest.mark.parametrize(
    "since", ["yesterday", "2026-13-01", "2026-05-01T09:00:00", "\x00", "2026-05-01T25:00Z"]
)
def test_a_bad_since_is_refused_naming_it(clinic_a: Any, since: str) -> None:
    assert_problem(clinic_a.api().get(URL, {"since": since}), 422, field="since")


def test_since_filters_by_date_in_clinic_time(two_clinics: Any) -> None:
    clinic_a, _ = two_clinics

    assert "AlphaClick" not in clinic_a.api().get(URL, {"since": "2999-01-01"}).content.decode()
    assert (
        "AlphaClick"
        in clinic_a.api().get(URL, {"since": "2020-01-01T00:00:00+01:00"}).content.decode()
    )


def test_the_scheduled_upload_url_needs_the_clinics_credentials(two_clinics: Any) -> None:
    from django.test import Client

    clinic_a, _ = two_clinics
    url = f"/conversions/{clinic_a.clinic.public_key}/google-ads.csv"
    client = Client()

    ok = client.get(url, HTTP_AUTHORIZATION=_basic("alpha-feed", FEED_PASSWORD))
    assert ok.status_code == 200
    body = ok.content.decode()
    assert body.startswith("Parameters:TimeZone=Europe/London\r\n")
    assert f"AlphaClick,{ATTENDED_NAME}," in body
    assert "BravoClick" not in body

    missing = client.get(url)
    assert missing.status_code == 401
    assert missing["WWW-Authenticate"].startswith("Basic ")
    wrong = client.get(url, HTTP_AUTHORIZATION=_basic("alpha-feed", "not-the-password"))
    assert wrong.status_code == 401
    # Clinic B's own credentials do not open clinic A's file.
    other = client.get(url, HTTP_AUTHORIZATION=_basic("bravo-feed", FEED_PASSWORD))
    assert other.status_code == 401
    assert b"AlphaClick" not in other.content
    garbage = client.get(url, HTTP_AUTHORIZATION="Basic !!!")
    assert garbage.status_code == 401
    unknown = client.get(
        "/conversions/no-such-key/google-ads.csv",
        HTTP_AUTHORIZATION=_basic("alpha-feed", FEED_PASSWORD),
    )
    assert unknown.status_code == 404
    bad_since = client.get(
        url + "?since=soon", HTTP_AUTHORIZATION=_basic("alpha-feed", FEED_PASSWORD)
    )
    assert_problem(bad_since, 422, field="since")


def test_without_a_feed_password_the_url_is_closed(
    clinic_a: Any, google_fake: Any, meta_fake: Any
) -> None:
    from django.test import Client

    configure(clinic_a)
    response = Client().get(
        f"/conversions/{clinic_a.clinic.public_key}/google-ads.csv",
        HTTP_AUTHORIZATION=_basic("", ""),
    )
    assert response.status_code == 401


def test_guessing_the_feed_password_is_throttled(two_clinics: Any, settings: Any) -> None:
    from django.test import Client

    settings.LOGIN_FAILURE_LIMIT = 3
    clinic_a, clinic_b = two_clinics
    url = f"/conversions/{clinic_a.clinic.public_key}/google-ads.csv"
    client = Client()
    for attempt in range(3):
        guess = client.get(url, HTTP_AUTHORIZATION=_basic("alpha-feed", f"guess-{attempt}"))
        assert guess.status_code == 401

    # Even the right password waits now; another clinic's feed is not affected.
    locked = client.get(url, HTTP_AUTHORIZATION=_basic("alpha-feed", FEED_PASSWORD))
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) > 0
    other = client.get(
        f"/conversions/{clinic_b.clinic.public_key}/google-ads.csv",
        HTTP_AUTHORIZATION=_basic("bravo-feed", FEED_PASSWORD),
    )
    assert other.status_code == 200


def test_a_strangers_guesses_do_not_lock_google_out(two_clinics: Any, settings: Any) -> None:
    """The public key is on the clinic's website: anyone could otherwise keep the feed shut."""
    from django.test import Client

    settings.LOGIN_FAILURE_LIMIT = 3
    clinic_a, _ = two_clinics
    url = f"/conversions/{clinic_a.clinic.public_key}/google-ads.csv"
    client = Client()
    for attempt in range(5):
        guess = client.get(
            url,
            HTTP_AUTHORIZATION=_basic("alpha-feed", f"guess-{attempt}"),
            REMOTE_ADDR="203.0.113.9",
        )
        assert guess.status_code in (401, 429)
    assert client.get(url, REMOTE_ADDR="203.0.113.9").status_code == 429

    google = client.get(
        url, HTTP_AUTHORIZATION=_basic("alpha-feed", FEED_PASSWORD), REMOTE_ADDR="192.0.2.44"
    )
    assert google.status_code == 200


def test_asking_without_credentials_is_not_a_failed_guess(two_clinics: Any, settings: Any) -> None:
    """Clients that wait for the 401 challenge before sending credentials are not locked out."""
    from django.test import Client

    settings.LOGIN_FAILURE_LIMIT = 3
    clinic_a, _ = two_clinics
    url = f"/conversions/{clinic_a.clinic.public_key}/google-ads.csv"
    client = Client()
    for _ in range(5):
        assert client.get(url).status_code == 401

    ok = client.get(url, HTTP_AUTHORIZATION=_basic("alpha-feed", FEED_PASSWORD))
    assert ok.status_code == 200
