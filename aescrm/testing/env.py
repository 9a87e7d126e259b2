"""Loaded with `-p` before pytest-django reads the settings: the test environment."""

import os

os.environ.setdefault("AESCRM_TESTING", "1")
# A throwaway master key for tests only.
os.environ.setdefault("AESCRM_MASTER_KEY", "dGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmchISE=")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
if os.environ.get("AESCRM_TEST_ENGINE") == "postgresql":
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        raise SystemExit("AESCRM_TEST_ENGINE=postgresql needs TEST_DATABASE_URL")
    os.environ["DATABASE_URL"] = url
