"""Passwords: Argon2 in production; NCSC policy of length and a deny-list, nothing else."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

import aescrm.settings as settings_module

ARGON2 = "django.contrib.auth.hashers.Argon2PasswordHasher"
FAST_ARGON2 = "aescrm.accounts.hashers.FastArgon2PasswordHasher"


def _production_settings(monkeypatch: Any, tmp_path: Path) -> ModuleType:
    """Execute the settings module afresh, as a production process would (no AESCRM_TESTING)."""
    monkeypatch.delenv("AESCRM_TESTING", raising=False)
    monkeypatch.setenv("DEBUG", "0")
    monkeypatch.setenv("SECRET_KEY", "production-like-secret-key-for-this-test-only")
    monkeypatch.setenv("AESCRM_VAR_DIR", str(tmp_path))
    spec = importlib.util.spec_from_file_location(
        "aescrm_settings_production", settings_module.__file__
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_production_hashes_passwords_with_argon2_only(monkeypatch: Any, tmp_path: Path) -> None:
    """Outside the test suite the only hasher is Argon2 at its full cost."""
    production = _production_settings(monkeypatch, tmp_path)

    assert production.TESTING is False
    assert production.PASSWORD_HASHERS == [ARGON2]


def test_the_cheap_argon2_is_used_only_by_the_test_suite() -> None:
    """The suite hashes with a cheap Argon2 first, and still verifies full-cost hashes."""
    assert settings.TESTING is True
    assert settings.PASSWORD_HASHERS == [FAST_ARGON2, ARGON2]


@pytest.mark.django_db
def test_stored_passwords_are_argon2_hashes(clinic_a: Any) -> None:
    """A stored password is an Argon2id hash that verifies the password."""
    user = clinic_a.users["owner"]

    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password("a-long-test-password-2026")


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("elevenchars", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
        ("liverpool123", "This password is too common."),
    ],
)
def test_short_and_common_passwords_are_refused(password: str, problem: str) -> None:
    """Under 12 characters, or on the common-password list: refused with the reason."""
    with pytest.raises(ValidationError) as refused:
        validate_password(password)

    assert problem in refused.value.messages


@pytest.mark.parametrize(
    "password", ["correct horse battery", "alllowercaseletters", "123456789012"]
)
def test_long_uncommon_passwords_need_no_composition_rules(password: str) -> None:
    """No required digits, symbols or capitals (NCSC guidance)."""
    validate_password(password)  # raises ValidationError when refused
