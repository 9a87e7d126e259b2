"""Django settings, read strictly from the environment (see .env.example)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from aescrm.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("AESCRM_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("AESCRM_TESTING", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-only-secret-key-0123456789"
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")

# The master key wraps every clinic's data keys. Its absence is checked by
# aescrm.crypto.apps at start-up (outside DEBUG the app refuses to start).
AESCRM_MASTER_KEY = env_str("AESCRM_MASTER_KEY")
# Previous master keys, kept only while `aescrm rotate_keys` re-wraps data keys.
AESCRM_OLD_MASTER_KEYS = env_list("AESCRM_OLD_MASTER_KEYS")

PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
_public = urlparse(PUBLIC_BASE_URL)
if _public.scheme not in ("http", "https") or not _public.hostname:
    raise ImproperlyConfigured(f"PUBLIC_BASE_URL must be an http(s) URL, not {PUBLIC_BASE_URL!r}")
SERVED_OVER_TLS = _public.scheme == "https"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", f"{_public.hostname},127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = [f"{_public.scheme}://{_public.netloc}"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "huey.contrib.djhuey",
    "django_htmx",
    "aescrm.core",
    "aescrm.crypto",
    "aescrm.keyvault",
    "aescrm.accounts",
    "aescrm.audit",
    "aescrm.patients",
    "aescrm.scheduling",
    "aescrm.attribution",
    "aescrm.public",
    "aescrm.conversions",
    "aescrm.messaging",
    "aescrm.automation",
    "aescrm.assistant",
    "aescrm.mail",
    "aescrm.reports",
    "aescrm.pipeline",
    "aescrm.templating",
    "aescrm.inbox",
    "aescrm.privacy",
    "aescrm.retention",
    "aescrm.subject_access",
    "aescrm.notices",
    "aescrm.platform_privacy",
    "aescrm.billing",
    "aescrm.analytics",
    "aescrm.console",
    "aescrm.erasure",
    "aescrm.api",
    "aescrm.web",
    "aescrm.demo",
]

MIDDLEWARE = [
    "aescrm.core.middleware.RequestIdMiddleware",
    "aescrm.core.middleware.JsonProblemsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "aescrm.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "aescrm.accounts.middleware.ClinicScopeMiddleware",
    "aescrm.billing.middleware.ReadOnlyAccountMiddleware",
]

ROOT_URLCONF = "aescrm.urls"
WSGI_APPLICATION = "aescrm.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "aescrm.web.context.navigation",
                "aescrm.pipeline.context.alerts",
            ],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'aescrm.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite backend plus a write gate that queues writers instead of
    # letting SQLite's busy handler put them to sleep (aescrm/core/sqlite).
    DATABASES["default"]["ENGINE"] = "aescrm.core.sqlite"
    # BEGIN IMMEDIATE serialises writers, so check-then-insert inside an
    # atomic block (double-booking, audit sealing) cannot interleave.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        # WAL lets readers run beside the writer; a 64 MB page cache and
        # memory-mapped reads keep the search-token index in memory.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
# Lets two suites run side by side on one machine (e.g. two work trees).
if env_str("AESCRM_TEST_DB_NAME", ""):
    _test_name = env_str("AESCRM_TEST_DB_NAME", "")
    DATABASES["default"]["TEST"] = {
        "NAME": str(VAR_DIR / f"{_test_name}.sqlite3")
        if DATABASES["default"]["ENGINE"] == "aescrm.core.sqlite"
        else _test_name
    }


# The key vault: per-patient keys in a database of their own, so erasure can
# destroy a person's key where backups of the main database cannot bring it
# back (docs/decisions/0022). Beside the SQLite file by default
# (<name>-keyvault.sqlite3); on PostgreSQL a database of the same server named
# <main>_keyvault unless set.
def _keyvault_database() -> Any:
    main = DATABASES["default"]
    url = env_str("KEYVAULT_DATABASE_URL", "")
    if url:
        vault = dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
    elif main["ENGINE"] == "aescrm.core.sqlite":
        # Beside its own main database: var/aescrm.sqlite3 -> var/aescrm-keyvault.sqlite3
        # (so a benchmark's or an evaluation's database never shares the dev vault).
        main_path = Path(str(main["NAME"]))
        vault_path = main_path.with_name(f"{main_path.stem}-keyvault.sqlite3")
        vault = dj_database_url.parse(f"sqlite:///{vault_path}")
    else:
        vault = {**main, "NAME": f"{main['NAME']}_keyvault", "TEST": {}}
    if vault["ENGINE"] == "django.db.backends.sqlite3":
        # The same write gate as the main file: a new patient's key is written
        # here, and concurrent writers must queue, not sleep in SQLite's busy handler.
        vault["ENGINE"] = "aescrm.core.sqlite"
        vault["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    main_test = main.get("TEST", {}).get("NAME")
    if main_test and vault["ENGINE"] == "aescrm.core.sqlite":
        vault["TEST"] = {"NAME": str(main_test).removesuffix(".sqlite3") + "_keyvault.sqlite3"}
    elif main_test:
        vault["TEST"] = {"NAME": f"{main_test}_keyvault"}
    return vault


DATABASES["keyvault"] = _keyvault_database()
DATABASE_ROUTERS = ["aescrm.keyvault.router.KeyVaultRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
if TESTING:
    # Argon2 at full cost would dominate the suite's run time; production
    # always uses Argon2 (checked by a test of the settings module).
    PASSWORD_HASHERS = [
        "aescrm.accounts.hashers.FastArgon2PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]
# NCSC guidance: length and a deny-list, no composition rules, no expiry.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]
AUTHENTICATION_BACKENDS = ["aescrm.accounts.backends.EmailBackend"]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:dashboard"

# Sessions end after 30 minutes without activity.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = SERVED_OVER_TLS
CSRF_COOKIE_SECURE = SERVED_OVER_TLS
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if SERVED_OVER_TLS:
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Sign-in throttling: this many failures within the window locks the account
# for the rest of the window (10 per 15 minutes is at most 40 an hour).
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60)

# Audit entries for reads (actions ending in .read, .list or .search). A
# benchmarking switch only (`make bench` measures reads with it on and off):
# it MUST stay on in production, where every read of patient data is audited.
# Writes, sign-ins and key operations are audited whatever it says.
AESCRM_AUDIT_READS = env_bool("AESCRM_AUDIT_READS", True)
# Benchmark-only endpoints (`make bench`), e.g. /bench/twilio-bare: the SMS
# webhook's signature check alone. Off unless a benchmark server turns it on.
AESCRM_BENCH_ENDPOINTS = env_bool("AESCRM_BENCH_ENDPOINTS", False)

# Reverse proxies of our own in front of the app (the TLS proxy: 1). The
# client address is then read from X-Forwarded-For, counting that many hops
# from the right; 0 uses the connection's address (nothing in front).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Default per-API-key rate limit, requests per minute.
API_RATE_LIMIT_PER_MINUTE = env_int("API_RATE_LIMIT_PER_MINUTE", 600)

# The public enquiry endpoint (docs/decisions/0008): requests per minute per
# client IP and per clinic, the largest body accepted, and the spam filters.
PUBLIC_RATE_PER_IP_PER_MINUTE = env_int("PUBLIC_RATE_PER_IP_PER_MINUTE", 10)
PUBLIC_RATE_PER_CLINIC_PER_MINUTE = env_int("PUBLIC_RATE_PER_CLINIC_PER_MINUTE", 120)
# Self-serve sign-up (docs/decisions/0030): attempts per client network and per address.
SIGNUP_RATE_PER_IP_PER_MINUTE = env_int("SIGNUP_RATE_PER_IP_PER_MINUTE", 10)
SIGNUP_RATE_PER_EMAIL_PER_MINUTE = env_int("SIGNUP_RATE_PER_EMAIL_PER_MINUTE", 5)
# The website assistant: a visitor types many short messages, so its limits are its own.
CHAT_RATE_PER_IP_PER_MINUTE = env_int("CHAT_RATE_PER_IP_PER_MINUTE", 30)
CHAT_RATE_PER_CLINIC_PER_MINUTE = env_int("CHAT_RATE_PER_CLINIC_PER_MINUTE", 600)
# A chat ends after this long without a message; the next message starts a new one.
CHAT_SESSION_MINUTES = env_int("CHAT_SESSION_MINUTES", 30)
# A chat that never captured anyone is deleted this long after it ended (its text may
# still hold what the visitor typed); a captured one lives and dies with the patient.
CHAT_ANONYMOUS_RETENTION_DAYS = env_int("CHAT_ANONYMOUS_RETENTION_DAYS", 30)
# A subject-access export can be downloaded (once) for this long after it is ready;
# then it is wiped (aescrm.subject_access).
SAR_EXPORT_LINK_DAYS = env_int("SAR_EXPORT_LINK_DAYS", 7)
PUBLIC_MAX_BODY_BYTES = env_int("PUBLIC_MAX_BODY_BYTES", 64 * 1024)
PUBLIC_MIN_FILL_SECONDS = env_int("PUBLIC_MIN_FILL_SECONDS", 3)
PUBLIC_MAX_LINKS = env_int("PUBLIC_MAX_LINKS", 2)
# Ad platform conversion uploads (aescrm.conversions). Base URLs are settings so
# tests point the live clients at local fake servers. CONVERSIONS_MODE "console"
# records what would be sent without calling the platforms.
CONVERSIONS_MODE = env_str("CONVERSIONS_MODE", "live")
_GOOGLE_ADS_API_DEFAULT = "https://googleads.googleapis.com/v24"
GOOGLE_ADS_API_BASE = env_str("GOOGLE_ADS_API_BASE", _GOOGLE_ADS_API_DEFAULT).rstrip("/")
GOOGLE_OAUTH_TOKEN_URL = env_str("GOOGLE_OAUTH_TOKEN_URL", "https://oauth2.googleapis.com/token")
META_GRAPH_API_BASE = env_str("META_GRAPH_API_BASE", "https://graph.facebook.com/v25.0").rstrip("/")
CONVERSIONS_HTTP_TIMEOUT = env_int("CONVERSIONS_HTTP_TIMEOUT", 20)
CONVERSIONS_MAX_ATTEMPTS = env_int("CONVERSIONS_MAX_ATTEMPTS", 6)
CONVERSIONS_RETRY_BASE_SECONDS = env_int("CONVERSIONS_RETRY_BASE_SECONDS", 300)
# Messaging (aescrm.messaging, docs/decisions/0013). MESSAGING_MODE "console"
# records messages as sent without calling Twilio; TWILIO_API_BASE lets tests
# point the live adapter at a local fake server.
MESSAGING_MODE = env_str("MESSAGING_MODE", "live")
TWILIO_API_BASE = env_str("TWILIO_API_BASE", "https://api.twilio.com").rstrip("/")
MESSAGING_HTTP_TIMEOUT = env_int("MESSAGING_HTTP_TIMEOUT", 15)
MESSAGING_MAX_ATTEMPTS = env_int("MESSAGING_MAX_ATTEMPTS", 6)
MESSAGING_RETRY_BASE_SECONDS = env_int("MESSAGING_RETRY_BASE_SECONDS", 60)
# A message held while its clinic's account was read-only may still go this long after it was
# queued, once the account is restored; reminders go by their own "too late" (decision 0032).
MESSAGING_HELD_MAX_HOURS = env_int("MESSAGING_HELD_MAX_HOURS", 24)
# A worker's claim on the messages it sends (decision 0013). It must outlast the
# two Twilio calls of one message (reconcile, send), or a second worker could
# take over a message whose send is still under way.
MESSAGING_LEASE_SECONDS = env_int("MESSAGING_LEASE_SECONDS", 300)
# How long a worker holds a claimed automation run (its steps are database work only).
AUTOMATION_LEASE_SECONDS = env_int("AUTOMATION_LEASE_SECONDS", 120)
if MESSAGING_LEASE_SECONDS <= 2 * MESSAGING_HTTP_TIMEOUT:
    raise ImproperlyConfigured(
        "MESSAGING_LEASE_SECONDS must be more than twice MESSAGING_HTTP_TIMEOUT "
        f"({MESSAGING_LEASE_SECONDS} <= 2 x {MESSAGING_HTTP_TIMEOUT})"
    )
# Estimated cost of one SMS segment to a UK number, in pence.
SMS_SEGMENT_COST_PENCE = env_int("SMS_SEGMENT_COST_PENCE", 4)
# Sending limits (aescrm.messaging.throttle); 0 turns one off. A UK long code
# passes about one segment a second on to the networks.
MESSAGING_SEGMENTS_PER_MINUTE = env_int("MESSAGING_SEGMENTS_PER_MINUTE", 60)
MESSAGING_MAX_PER_RECIPIENT_PER_HOUR = env_int("MESSAGING_MAX_PER_RECIPIENT_PER_HOUR", 10)
# Email (aescrm.mail, docs/decisions/0016): Postmark through django-anymail with
# each clinic's server token; POSTMARK_API_BASE lets tests use a local fake.
POSTMARK_API_BASE = env_str("POSTMARK_API_BASE", "https://api.postmarkapp.com").rstrip("/")
ANYMAIL = {
    "POSTMARK_API_URL": f"{POSTMARK_API_BASE}/",
    "REQUESTS_TIMEOUT": MESSAGING_HTTP_TIMEOUT,
}
# Email from AES-CRM Ltd itself to account holders (sign-up verification,
# invitations, billing notices: aescrm.accounts.account_mail), through Postmark
# with the platform's own server token. Without a token (a local demo) the
# message is printed to the server's console instead.
ACCOUNT_EMAIL_TOKEN = env_str("ACCOUNT_EMAIL_TOKEN", "")
ACCOUNT_EMAIL_FROM = env_str("ACCOUNT_EMAIL_FROM", "AES-CRM <no-reply@aes-crm.local>")
# Plans and billing (aescrm.billing, docs/decisions/0031). Plans come from
# aescrm/billing/plans.toml unless AESCRM_PLANS_FILE names another file.
AESCRM_PLANS_FILE = env_str("AESCRM_PLANS_FILE", "")
# Days a clinic keeps full service after a payment becomes overdue or its
# trial ends, before the account becomes read-only.
BILLING_GRACE_DAYS = env_int("BILLING_GRACE_DAYS", 14)
# Usage analytics (aescrm.analytics, docs/decisions/0034): raw feature events are
# kept this many days, then only as daily counts per clinic and feature.
ANALYTICS_RAW_DAYS = env_int("ANALYTICS_RAW_DAYS", 90)
# Stripe: the secret API key, the webhook signing secret, and the API's base
# URL (tests point it at a local fake). Without a key, billing pages explain
# that online payment is not set up.
STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = env_str("STRIPE_API_BASE", "https://api.stripe.com").rstrip("/")
# Usage against plan limits (aescrm.billing.usage, docs/decisions/0033): owners are
# warned at this share of a limit; overage (when a clinic allows it) is reported to
# Stripe as meter events under these event names, one Stripe meter each.
USAGE_WARN_PERCENT = env_int("USAGE_WARN_PERCENT", 80)
STRIPE_METER_SMS_SEGMENTS = env_str("STRIPE_METER_SMS_SEGMENTS", "aescrm_sms_segments")
STRIPE_METER_EMAILS = env_str("STRIPE_METER_EMAILS", "aescrm_emails")
STRIPE_METER_CHAT_CONVERSATIONS = env_str(
    "STRIPE_METER_CHAT_CONVERSATIONS", "aescrm_chat_conversations"
)
# The website assistant's language model (aescrm.assistant.engines.llm): any
# OpenAI-compatible Chat Completions endpoint, base URL ending in /v1. A clinic's
# own assistant settings override these field by field; the key is a secret.
AESCRM_LLM_BASE_URL = env_str("AESCRM_LLM_BASE_URL", "").rstrip("/")
AESCRM_LLM_MODEL = env_str("AESCRM_LLM_MODEL", "")
AESCRM_LLM_API_KEY = env_str("AESCRM_LLM_API_KEY", "")
# Per HTTP call; a whole chat turn gets twice this before the built-in engine answers.
AESCRM_LLM_TIMEOUT_SECONDS = env_int("AESCRM_LLM_TIMEOUT_SECONDS", 8)

REDIS_URL = env_str("REDIS_URL")
# The queue's name: workers sharing one Redis (or one SQLite file) and one name
# share the work. Tests and benchmarks give each run a name of its own.
HUEY_NAME = env_str("HUEY_NAME", "aescrm")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": HUEY_NAME,
        "url": REDIS_URL,
        "immediate": False,
        "utc": True,
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "aescrm_cache",
        }
    }
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": HUEY_NAME,
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": TESTING,
        "utc": True,
    }

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
