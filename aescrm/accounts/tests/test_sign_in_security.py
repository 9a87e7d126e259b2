"""Sign-in: throttled, audited on the platform chain, served with strict headers and
cookies. (The pages themselves belong to aescrm.web; this is the security contract.)"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import unscoped
from aescrm.testing.fixtures import PASSWORD

pytestmark = pytest.mark.django_db

LOCKED = b"Too many failed attempts"


def _sign_in(client: Client, email: str, password: str) -> Any:
    return client.post(reverse("web:login"), {"email": email, "password": password})


def _platform_entries(action: str) -> list[AuditEntry]:
    with unscoped("test: read the platform chain"):
        return list(AuditEntry.all_chains.filter(action=action).order_by("id"))


def test_a_correct_password_signs_in_and_is_audited(clinic_a: Any) -> None:
    """Success: a session is opened; auth.login.success is on the platform chain."""
    client = Client(REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Firefox/140")
    user = clinic_a.users["receptionist"]

    response = _sign_in(client, "Receptionist@Alpha.test", PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    [entry] = _platform_entries("auth.login.success")
    assert entry.clinic_id is None
    assert (entry.object_type, entry.object_id) == ("user", str(user.pk))
    assert (entry.ip, entry.user_agent) == ("203.0.113.7", "Firefox/140")


def test_a_wrong_password_is_refused_and_audited(clinic_a: Any) -> None:
    """Failure: no session; auth.login.failure on the platform chain, without the password."""
    client = Client(REMOTE_ADDR="203.0.113.8")

    response = _sign_in(client, "receptionist@alpha.test", "not-the-password-at-all")

    assert response.status_code == 400
    assert b"That email and password do not match an account." in response.content
    assert "_auth_user_id" not in client.session
    [entry] = _platform_entries("auth.login.failure")
    assert (entry.clinic_id, entry.ip) == (None, "203.0.113.8")
    assert PASSWORD not in str(entry.detail)
    assert "not-the-password-at-all" not in str(entry.detail)


def test_after_the_failure_limit_even_the_right_password_is_refused(clinic_a: Any) -> None:
    """LOGIN_FAILURE_LIMIT failures lock the account for the window; the lock is audited."""
    client = Client()
    email = "owner@alpha.test"
    for attempt in range(settings.LOGIN_FAILURE_LIMIT):
        failed = _sign_in(client, email, f"wrong-password-number-{attempt}")
        assert failed.status_code == 400
        assert LOCKED not in failed.content

    response = _sign_in(client, email, PASSWORD)

    assert response.status_code == 400
    assert LOCKED in response.content
    assert "_auth_user_id" not in client.session
    assert len(_platform_entries("auth.login.failure")) == settings.LOGIN_FAILURE_LIMIT
    assert len(_platform_entries("auth.login.locked")) == 1
    assert _platform_entries("auth.login.success") == []
    # Another account is not affected.
    assert _sign_in(Client(), "receptionist@alpha.test", PASSWORD).status_code == 302


def test_the_lock_counts_failures_for_the_email_in_any_case(clinic_a: Any) -> None:
    """Changing the case of the email does not reset the count."""
    for attempt in range(settings.LOGIN_FAILURE_LIMIT):
        email = "OWNER@alpha.test" if attempt % 2 else "owner@ALPHA.test"
        _sign_in(Client(), email, f"wrong-password-number-{attempt}")

    assert LOCKED in _sign_in(Client(), "owner@alpha.test", PASSWORD).content


def test_pages_carry_strict_security_headers(db: Any) -> None:
    """CSP without inline scripts or framing, X-Frame-Options DENY, a referrer policy."""
    response = Client().get(reverse("web:login"))

    assert response.status_code == 200
    csp = {
        part.strip().split(" ", 1)[0]: part.strip().split(" ", 1)[1]
        for part in response["Content-Security-Policy"].split(";")
    }
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_session_cookie_is_http_only_and_same_site(clinic_a: Any) -> None:
    """Out of scripts' reach, not sent on cross-site posts, and ends when idle."""
    client = Client()

    response = _sign_in(client, "receptionist@alpha.test", PASSWORD)

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert settings.SESSION_COOKIE_AGE <= 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_sign_in_needs_a_csrf_token(clinic_a: Any) -> None:
    """A sign-in post without the CSRF token is refused (no login CSRF)."""
    client = Client(enforce_csrf_checks=True)

    response = _sign_in(client, "receptionist@alpha.test", PASSWORD)

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
