"""The import file as a Google Ads scheduled-upload URL, behind HTTP basic auth.

``/conversions/<clinic public key>/google-ads.csv``: Google Ads fetches it on a
schedule with the username and password set in the clinic's conversion
settings. The public key only names the clinic (it is public in the widget);
the password is what grants access, and it is stored as a hash.
"""

from __future__ import annotations

import base64
import binascii
import hmac

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from aescrm.accounts.middleware import client_ip
from aescrm.accounts.models import Clinic
from aescrm.accounts.services import login_failed, login_is_locked, login_succeeded
from aescrm.conversions import selectors
from aescrm.conversions.models import AdPlatformSettings
from aescrm.core.problems import DomainError, domain_error_response, problem_response
from aescrm.core.tenancy import clinic_scope
from aescrm.public.ratelimit import client_network

# Checked when the clinic or its credentials do not exist, so a wrong key costs
# the same hashing time as a wrong password.
_DUMMY_HASH = make_password("not-a-real-feed-password")


def _unauthorised() -> HttpResponse:
    return problem_response(
        status=401,
        title="Unauthorised",
        type_slug="unauthorised",
        detail="send the feed's username and password with HTTP basic authentication",
        headers={"WWW-Authenticate": 'Basic realm="AES-CRM conversions", charset="UTF-8"'},
    )


def _credentials(request: HttpRequest) -> tuple[str, str] | None:
    header = request.headers.get("Authorization", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, sep, password = decoded.partition(":")
    return (username, password) if sep else None


@require_GET
def google_ads_feed(request: HttpRequest, public_key: str) -> HttpResponse:
    credentials = _credentials(request)
    clinic = Clinic.objects.filter(public_key=public_key).first()
    if clinic is None:
        check_password("x", _DUMMY_HASH)
        return problem_response(
            status=404, title="Not found", type_slug="not-found", detail="not found"
        )
    # Failed guesses are throttled like sign-ins, per feed and client network:
    # each costs a slow password hash and the password must not be guessable
    # online, but the public key is on the clinic's website, so a stranger's
    # guesses must not shut Google's own fetches out.
    throttle_key = f"conversions-feed|{clinic.pk}|{client_network(client_ip(request))}"
    if login_is_locked(throttle_key):
        return problem_response(
            status=429,
            title="Too many requests",
            type_slug="rate-limited",
            detail="too many failed attempts for this feed; try again later",
            headers={"Retry-After": str(settings.LOGIN_FAILURE_WINDOW_SECONDS)},
        )
    if credentials is None:
        # No password tried: clients send credentials after the 401 challenge.
        return _unauthorised()
    with clinic_scope(clinic.pk):
        row = AdPlatformSettings.objects.first()
        stored = row.feed_password_hash if row and row.feed_username else ""
        expected_username = row.feed_username if row else ""
        username_ok = bool(expected_username) and hmac.compare_digest(
            credentials[0].encode(), expected_username.encode()
        )
        password_ok = check_password(credentials[1], stored or _DUMMY_HASH)
        if not (stored and username_ok and password_ok):
            login_failed(throttle_key)
            return _unauthorised()
        login_succeeded(throttle_key)
        try:
            since = selectors.parse_since(request.GET.get("since"), clinic)
        except DomainError as exc:
            return domain_error_response(exc)
        body = selectors.google_import_csv(clinic=clinic, since=since, actor="scheduled upload")
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="google-ads.csv"'
    response["Cache-Control"] = "no-store"
    return response
