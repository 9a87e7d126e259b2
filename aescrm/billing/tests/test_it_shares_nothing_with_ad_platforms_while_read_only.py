"""A read-only clinic's conversions are not uploaded to Meta or Google: the uploads wait,
pending, and go once the account is restored."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.billing.tests.support import subscribe
from aescrm.conversions import tasks
from aescrm.conversions.models import ConversionUpload, UploadStatus
from aescrm.conversions.tests.conftest import configure, google_fake, journey, meta_fake, touch  # noqa: F401
from aescrm.core.tenancy import clinic_scope

pytestmark = pytest.mark.django_db

FBC = "fb.1.1554763741205.AbCdEfGhIjKlMnOpQrStUvWxYz1234567890"


def _meta_statuses(world: Any) -> list[str]:
    with clinic_scope(world.clinic.pk):
        return sorted(
            ConversionUpload.objects.filter(platform="meta").values_list("status", flat=True)
        )


def test_uploads_wait_while_read_only_and_go_on_reactivation(
    clinic_a: Any,
    google_fake: Any,  # noqa: F811
    meta_fake: Any,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    configure(clinic_a)
    subscribe(clinic_a, "canceled")
    journey(clinic_a, django_capture_on_commit_callbacks, last=touch(fbc=FBC))

    tasks.upload_due_conversions.call_local()

    assert meta_fake.posts == []
    assert UploadStatus.UPLOADED not in _meta_statuses(clinic_a)
    assert UploadStatus.PENDING in _meta_statuses(clinic_a)

    subscribe(clinic_a, "active")
    tasks.upload_due_conversions.call_local()

    assert sorted(e["event_name"] for e in meta_fake.accepted) == ["Lead", "Purchase", "Schedule"]
