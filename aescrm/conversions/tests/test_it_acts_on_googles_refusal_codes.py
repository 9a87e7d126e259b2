"""Google's refusal codes decide what happens next, not just that it refused.

- "Too recent" (the click, or the conversion action, is less than six hours
  old) is not a verdict on the conversion: it is sent again after the wait.
- "Already recorded" (the order id, or the same click and time) means Google
  has the conversion, e.g. from a send whose answer was lost: it is uploaded.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from aescrm.conversions import worker
from aescrm.conversions.models import ConversionUpload, UploadStatus
from aescrm.conversions.tests.conftest import configure, journey, touch
from aescrm.core.tenancy import clinic_scope

pytestmark = pytest.mark.django_db


def _google_upload(world: Any) -> ConversionUpload:
    with clinic_scope(world.clinic.pk):
        return ConversionUpload.objects.get(platform="google_ads", event__kind="attended")


def test_a_click_too_recent_for_google_is_sent_again_after_the_wait(
    clinic_a: Any, google_fake: Any, meta_fake: Any, django_capture_on_commit_callbacks: Any
) -> None:
    configure(clinic_a)
    google_fake.refuse = {"FreshClick": "The click occurred less than 6 hours ago."}
    google_fake.refuse_codes = {"FreshClick": "TOO_RECENT_EVENT"}
    before = timezone.now()
    journey(clinic_a, django_capture_on_commit_callbacks, last=touch(gclid="FreshClick"))

    waiting = _google_upload(clinic_a)
    assert waiting.status == UploadStatus.PENDING
    assert waiting.last_error == "The click occurred less than 6 hours ago. (TOO_RECENT_EVENT)"
    assert waiting.next_attempt_at is not None
    assert waiting.next_attempt_at - before >= worker.GOOGLE_TOO_RECENT_WAIT

    google_fake.refuse = {}
    worker.process_all(now=waiting.next_attempt_at + dt.timedelta(seconds=1))
    sent = _google_upload(clinic_a)
    assert sent.status == UploadStatus.UPLOADED
    assert [c["gclid"] for c in google_fake.conversions] == ["FreshClick"]


def test_a_conversion_google_already_recorded_counts_as_uploaded(
    clinic_a: Any, google_fake: Any, meta_fake: Any, django_capture_on_commit_callbacks: Any
) -> None:
    configure(clinic_a)
    # Google records the conversion, but its answer is lost on the way back.
    google_fake.lose_next = [503]
    journey(clinic_a, django_capture_on_commit_callbacks, last=touch(gclid="TeSt123"))
    lost = _google_upload(clinic_a)
    assert lost.status == UploadStatus.PENDING
    assert lost.next_attempt_at is not None

    worker.process_all(now=lost.next_attempt_at + dt.timedelta(seconds=1))

    upload = _google_upload(clinic_a)
    assert upload.status == UploadStatus.UPLOADED
    assert upload.uploaded_at is not None
    assert "already" in upload.last_error
    assert len(google_fake.uploads) == 2
    assert len(google_fake.conversions) == 1  # counted once by Google
