"""Claiming: a claimed upload is invisible to other workers until its lease runs out."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from aescrm.conversions import worker
from aescrm.conversions.models import ConversionUpload
from aescrm.conversions.tests.conftest import configure, journey, touch
from aescrm.core.tenancy import clinic_scope

pytestmark = pytest.mark.django_db


def test_a_second_worker_gets_nothing_while_the_first_holds_the_lease(
    clinic_a: Any, google_fake: Any, meta_fake: Any, django_capture_on_commit_callbacks: Any
) -> None:
    configure(clinic_a)
    google_fake.fail_next = [500]
    journey(clinic_a, django_capture_on_commit_callbacks, last=touch(gclid="TeSt123"))
    with clinic_scope(clinic_a.clinic.pk):
        due = ConversionUpload.objects.get(platform="google_ads", status="pending")
        assert due.next_attempt_at is not None
        later = due.next_attempt_at + dt.timedelta(seconds=1)

        first = worker.claim("google_ads", later)
        second = worker.claim("google_ads", later)
        assert [u.pk for u in first] == [due.pk]
        assert second == []
        assert worker.clinics_with_due_uploads(later) == []
        assert first[0].attempts == 2

        # A worker that died: its lease runs out and the upload is claimed again.
        after_lease = later + worker.LEASE + dt.timedelta(seconds=1)
        assert [u.pk for u in worker.claim("google_ads", after_lease)] == [due.pk]


def test_an_uploaded_conversion_is_never_claimed_again(
    clinic_a: Any, google_fake: Any, meta_fake: Any, django_capture_on_commit_callbacks: Any
) -> None:
    configure(clinic_a)
    journey(clinic_a, django_capture_on_commit_callbacks, last=touch(gclid="TeSt123"))

    far = timezone.now() + dt.timedelta(days=365)
    with clinic_scope(clinic_a.clinic.pk):
        assert worker.claim("google_ads", far) == []
    assert worker.process_all(now=far) == 0
    assert len(google_fake.uploads) == 1
