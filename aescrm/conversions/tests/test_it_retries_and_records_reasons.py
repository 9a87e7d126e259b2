"""Failures: retried with exponential backoff up to a limit; refusals fail with the reason."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from django.utils import timezone

from aescrm.conversions import worker
from aescrm.conversions.models import ConversionUpload, NotEligible, UploadStatus
from aescrm.conversions.tests.conftest import configure, journey, touch
from aescrm.core.tenancy import clinic_scope

pytestmark = pytest.mark.django_db


def _upload(world: Any, platform: str, kind: str = "attended") -> ConversionUpload:
    with clinic_scope(world.clinic.pk):
        return ConversionUpload.objects.select_related("event").get(
            platform=platform, event__kind=kind
        )


def due(upload: ConversionUpload) -> dt.datetime:
    assert upload.next_attempt_at is not None
    return upload.next_attempt_at


def _run_at(moment: dt.datetime) -> int:
    return worker.process_all(now=moment)


def test_a_server_error_is_retried_with_backoff_then_uploaded(
    clinic_a: Any,
    google_fake: Any,
    meta_fake: Any,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    settings.CONVERSIONS_RETRY_BASE_SECONDS = 300
    configure(clinic_a)
    google_fake.fail_next = [500, 503]
    before = timezone.now()
    journey(clinic_a, django_capture_on_commit_callbacks, last=touch(gclid="TeSt123"))

    first = _upload(clinic_a, "google_ads")
    assert first.status == UploadStatus.PENDING
    assert first.attempts == 1
    assert "Internal error encountered." in first.last_error
    assert "INTERNAL" in first.last_error
    delay = due(first) - before
    assert dt.timedelta(seconds=300) <= delay < dt.timedelta(seconds=330)

    assert _run_at(timezone.now()) == 0  # not due yet: nothing is sent
    assert len(google_fake.uploads) == 1

    _run_at(due(first) + dt.timedelta(seconds=1))
    second = _upload(clinic_a, "google_ads")
    assert second.attempts == 2
    assert second.status == UploadStatus.PENDING
    assert due(second) - due(first) >= dt.timedelta(seconds=600)

    _run_at(due(second) + dt.timedelta(seconds=1))
    third = _upload(clinic_a, "google_ads")
    assert third.status == UploadStatus.UPLOADED
    assert third.attempts == 3
    assert third.last_error == ""
    assert len(google_fake.conversions) == 1


def test_it_gives_up_after_the_attempt_limit(
    clinic_a: Any,
    google_fake: Any,
    meta_fake: Any,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    settings.CONVERSIONS_MAX_ATTEMPTS = 3
    configure(clinic_a)
    google_fake.fail_next = [500] * 10
    journey(clinic_a, django_capture_on_commit_callbacks, last=touch(gclid="TeSt123"))

    later = timezone.now()
    for _ in range(5):
        later += dt.timedelta(days=1)
        _run_at(later)

    upload = _upload(clinic_a, "google_ads")
    assert upload.status == UploadStatus.FAILED
    assert upload.attempts == 3
    assert "gave up after 3 attempts" in upload.last_error
    assert len(google_fake.uploads) == 3


def test_a_partial_failure_fails_just_that_conversion_with_googles_message(
    clinic_a: Any,
    clinic_b: Any,
    google_fake: Any,
    meta_fake: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    actions = {"booked": ("111", "Booked"), "attended": ("222", "Attended")}
    configure(clinic_a, actions=actions)
    google_fake.refuse = {"BadClick": "The imported gclid could not be decoded."}
    # Both conversions wait, then go in one request.
    google_fake.fail_next = [500]
    journey(
        clinic_a, django_capture_on_commit_callbacks, last=touch(gclid="BadClick"), attend=False
    )
    with clinic_scope(clinic_a.clinic.pk):
        ConversionUpload.objects.update(next_attempt_at=timezone.now())
    configure(clinic_b, actions=actions)
    journey(clinic_b, django_capture_on_commit_callbacks, last=touch(gclid="GoodClick"))

    refused = _upload(clinic_a, "google_ads", "booked")
    assert refused.status == UploadStatus.PENDING  # the 500 is retried
    _run_at(timezone.now() + dt.timedelta(hours=1))
    refused = _upload(clinic_a, "google_ads", "booked")
    assert refused.status == UploadStatus.FAILED
    assert refused.last_error == ("The imported gclid could not be decoded. (UNPARSEABLE_GCLID)")
    for kind in ("booked", "attended"):
        assert _upload(clinic_b, "google_ads", kind).status == UploadStatus.UPLOADED


def test_partial_failure_inside_one_batch(
    clinic_a: Any, google_fake: Any, meta_fake: Any, django_capture_on_commit_callbacks: Any
) -> None:
    configure(clinic_a, actions={"booked": ("111", "Booked"), "attended": ("222", "Attended")})
    google_fake.fail_next = [500, 500]
    google_fake.refuse = {"BadClick": "The click is too old."}
    journey(
        clinic_a, django_capture_on_commit_callbacks, last=touch(gclid="BadClick"), attend=False
    )
    journey(
        clinic_a,
        django_capture_on_commit_callbacks,
        last=touch(gclid="GoodClick"),
        attend=False,
        email="other@example.com",
        phone="07700 900456",
    )
    _run_at(timezone.now() + dt.timedelta(hours=1))

    batch = google_fake.uploads[-1].json["conversions"]
    assert sorted(c["gclid"] for c in batch) == ["BadClick", "GoodClick"]
    with clinic_scope(clinic_a.clinic.pk):
        statuses = {
            (u.event.last_touch.gclid if u.event.last_touch else ""): (u.status, u.last_error)
            for u in ConversionUpload.objects.filter(
                platform="google_ads", event__kind="booked"
            ).select_related("event__last_touch")
        }
    assert statuses == {
        "BadClick": (UploadStatus.FAILED, "The click is too old. (UNPARSEABLE_GCLID)"),
        "GoodClick": (UploadStatus.UPLOADED, ""),
    }


def test_an_invalid_refresh_token_is_retried_and_says_why(
    clinic_a: Any, google_fake: Any, meta_fake: Any, django_capture_on_commit_callbacks: Any
) -> None:
    configure(clinic_a)
    google_fake.token_error = "invalid_grant"
    journey(clinic_a, django_capture_on_commit_callbacks, last=touch(gclid="TeSt123"))

    upload = _upload(clinic_a, "google_ads")
    assert upload.status == UploadStatus.PENDING
    assert upload.last_error == "Google sign-in refused: invalid_grant (Bad Request)"
    assert google_fake.uploads == []

    google_fake.token_error = ""
    _run_at(due(upload) + dt.timedelta(seconds=1))
    assert _upload(clinic_a, "google_ads").status == UploadStatus.UPLOADED


def test_the_access_token_is_cached_until_it_expires(
    clinic_a: Any, google_fake: Any, meta_fake: Any, django_capture_on_commit_callbacks: Any
) -> None:
    configure(clinic_a, actions={"booked": ("111", "Booked"), "attended": ("222", "Attended")})
    journey(clinic_a, django_capture_on_commit_callbacks, last=touch(gclid="TeSt123"))

    assert len(google_fake.uploads) == 2
    assert len(google_fake.token_requests) == 1
    form = google_fake.token_requests[0].form
    assert form["grant_type"] == ["refresh_token"]
    assert form["refresh_token"] == ["1//fake-refresh-token"]


def test_meta_invalid_token_and_bad_payload(
    clinic_a: Any, google_fake: Any, meta_fake: Any, django_capture_on_commit_callbacks: Any
) -> None:
    configure(clinic_a, google=False)
    meta_fake.invalid_token = True
    journey(
        clinic_a, django_capture_on_commit_callbacks, last=touch(fbc="fb.1.1.abc"), attend=False
    )

    lead = _upload(clinic_a, "meta", "lead")
    assert lead.status == UploadStatus.PENDING
    assert lead.last_error == (
        "Meta: Invalid OAuth access token - Cannot parse access token (code 190)"
    )
    meta_fake.invalid_token = False
    meta_fake.pixel_id = "999"  # the clinic's pixel no longer exists: not worth retrying
    _run_at(timezone.now() + dt.timedelta(days=1))
    lead = _upload(clinic_a, "meta", "lead")
    assert lead.status == UploadStatus.FAILED
    assert "does not exist" in lead.last_error


def test_google_gets_gbraid_consent_denied_and_no_identifiers_without_consent(
    clinic_a: Any, google_fake: Any, meta_fake: Any, django_capture_on_commit_callbacks: Any
) -> None:
    configure(clinic_a)
    journey(
        clinic_a,
        django_capture_on_commit_callbacks,
        last=touch(gbraid="GbRaId1", marketing_consent=False),
    )

    conversion = google_fake.conversions[0]
    assert conversion["gbraid"] == "GbRaId1"
    assert "gclid" not in conversion
    assert conversion["consent"] == {"adUserData": "DENIED"}
    assert "userIdentifiers" not in conversion
    # Not in the import file: it has no way to say consent was denied (and no gclid).
    csv_rows = clinic_a.api().get("/api/v1/conversions/google-ads.csv").content.decode()
    assert "GbRaId1" not in csv_rows


def test_google_enhanced_conversions_hash_email_and_e164_phone(
    clinic_a: Any, google_fake: Any, meta_fake: Any, django_capture_on_commit_callbacks: Any
) -> None:
    configure(clinic_a)
    journey(clinic_a, django_capture_on_commit_callbacks, last=touch(gclid="TeSt123"))

    identifiers = google_fake.conversions[0]["userIdentifiers"]
    assert identifiers == [
        {"hashedEmail": hashlib.sha256(b"john.doe@example.com").hexdigest()},
        {"hashedPhoneNumber": hashlib.sha256(b"+447700900123").hexdigest()},
    ]


def test_google_gets_a_gmail_address_without_the_dots_meta_with_them(
    clinic_a: Any, google_fake: Any, meta_fake: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Google's rule: remove the dots before @ in gmail.com and googlemail.com addresses
    (Gmail ignores them); Meta's rule is trimmed and lower-cased only."""
    configure(clinic_a)
    journey(
        clinic_a,
        django_capture_on_commit_callbacks,
        last=touch(gclid="TeSt123", fbc="fb.1.1554763741205.AbC"),
        email=" John.Q.Doe@GMail.com ",
    )

    google = google_fake.conversions[0]["userIdentifiers"][0]
    assert google == {"hashedEmail": hashlib.sha256(b"johnqdoe@gmail.com").hexdigest()}
    meta = meta_fake.accepted[0]["user_data"]["em"]
    assert meta == [hashlib.sha256(b"john.q.doe@gmail.com").hexdigest()]


def test_other_domains_keep_their_dots_for_google() -> None:
    from aescrm.conversions.identifiers import google_email

    assert google_email(" Jo.Doe@GoogleMail.com ") == "jodoe@googlemail.com"
    assert google_email("jo.doe@example.co.uk") == "jo.doe@example.co.uk"
    assert google_email("jo.doe@gmail.com.example") == "jo.doe@gmail.com.example"


def test_conversions_without_a_click_or_settings_are_not_eligible(
    clinic_a: Any,
    clinic_b: Any,
    google_fake: Any,
    meta_fake: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    configure(clinic_a)
    journey(clinic_a, django_capture_on_commit_callbacks, last=touch(utm_source="newsletter"))
    journey(clinic_b, django_capture_on_commit_callbacks, last=touch(gclid="TeSt123"))

    assert _upload(clinic_a, "google_ads").reason == NotEligible.NO_CLICK_ID
    assert _upload(clinic_a, "meta").reason == NotEligible.NO_CLICK_ID
    assert _upload(clinic_b, "google_ads").reason == NotEligible.NOT_CONFIGURED
    assert google_fake.requests == [] and meta_fake.requests == []


def test_configuring_later_sends_what_was_held_back(
    clinic_a: Any, google_fake: Any, meta_fake: Any, django_capture_on_commit_callbacks: Any
) -> None:
    journey(clinic_a, django_capture_on_commit_callbacks, last=touch(gclid="TeSt123"))
    assert _upload(clinic_a, "google_ads").reason == NotEligible.NOT_CONFIGURED

    with django_capture_on_commit_callbacks(execute=True):
        configure(clinic_a)

    assert _upload(clinic_a, "google_ads").status == UploadStatus.UPLOADED
    assert len(google_fake.conversions) == 1


def test_a_site_that_asked_nothing_still_counts_and_says_nothing_about_consent(
    clinic_a: Any, google_fake: Any, meta_fake: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """No consent answer from the site (no data-consent, no AESCRM.consent call):
    the click is in the import file and the upload, which leaves consent unspecified;
    nothing about the person goes to Meta, and no contact details to Google."""
    configure(clinic_a)
    journey(
        clinic_a,
        django_capture_on_commit_callbacks,
        last=touch(gclid="UnKnOwN1", marketing_consent=None),
    )

    conversion = google_fake.conversions[0]
    assert conversion["gclid"] == "UnKnOwN1"
    assert "consent" not in conversion
    assert "userIdentifiers" not in conversion
    assert meta_fake.posts == []
    csv_rows = clinic_a.api().get("/api/v1/conversions/google-ads.csv").content.decode()
    assert csv_rows.count("UnKnOwN1") == 1


def test_a_visitor_who_refused_is_left_out_of_the_import_file(
    clinic_a: Any, google_fake: Any, meta_fake: Any, django_capture_on_commit_callbacks: Any
) -> None:
    configure(clinic_a)
    journey(
        clinic_a,
        django_capture_on_commit_callbacks,
        last=touch(gclid="ReFuSeD1", marketing_consent=False),
    )

    assert google_fake.conversions[0]["consent"] == {"adUserData": "DENIED"}
    csv_rows = clinic_a.api().get("/api/v1/conversions/google-ads.csv").content.decode()
    assert "ReFuSeD1" not in csv_rows
