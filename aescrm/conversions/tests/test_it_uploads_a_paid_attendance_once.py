"""Acceptance: a Google click becomes a lead, a booking and a £2,500 attendance.

The import file has exactly one row for the click, and the API upload sends
the same conversion to (fake) Google exactly once, however often the worker runs.
"""

from __future__ import annotations

import csv
import io
import zoneinfo
from typing import Any

import pytest

from aescrm.attribution.models import ConversionEvent
from aescrm.conversions import tasks
from aescrm.conversions.models import ConversionUpload, NotEligible, UploadStatus
from aescrm.conversions.tests.conftest import (
    ATTENDED_ACTION_ID,
    ATTENDED_NAME,
    CUSTOMER_ID,
    configure,
    journey,
    touch,
)
from aescrm.core.tenancy import clinic_scope

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


def _attended(world: Any) -> ConversionEvent:
    with clinic_scope(world.clinic.pk):
        return ConversionEvent.objects.get(kind="attended")


def test_the_import_file_has_one_row_for_the_click(
    clinic_a: Any, google_fake: Any, meta_fake: Any, django_capture_on_commit_callbacks: Any
) -> None:
    configure(clinic_a)
    journey(
        clinic_a,
        django_capture_on_commit_callbacks,
        first=touch(gclid="TeSt123"),
        last=touch(gclid="TeSt123"),
    )
    event = _attended(clinic_a)

    response = clinic_a.api().get("/api/v1/conversions/google-ads.csv?since=2020-01-01")

    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[0] == ["Parameters:TimeZone=Europe/London"]
    assert lines[1] == [
        "Google Click ID",
        "Conversion Name",
        "Conversion Time",
        "Conversion Value",
        "Conversion Currency",
    ]
    rows = [line for line in lines[2:] if line]
    expected_time = event.occurred_at.astimezone(LONDON).strftime("%Y-%m-%d %H:%M:%S")
    assert rows == [["TeSt123", ATTENDED_NAME, expected_time, "2500.00", "GBP"]]


def test_the_api_upload_sends_the_same_conversion_once(
    clinic_a: Any, google_fake: Any, meta_fake: Any, django_capture_on_commit_callbacks: Any
) -> None:
    configure(clinic_a)
    journey(
        clinic_a,
        django_capture_on_commit_callbacks,
        first=touch(gclid="TeSt123"),
        last=touch(gclid="TeSt123"),
    )
    event = _attended(clinic_a)

    tasks.upload_due_conversions.call_local()
    tasks.upload_due_conversions.call_local()
    tasks.upload_clinic_conversions.call_local(str(clinic_a.clinic.pk))

    assert len(google_fake.uploads) == 1
    assert len(google_fake.token_requests) == 1
    request = google_fake.uploads[0]
    assert request.path == f"/v24/customers/{CUSTOMER_ID}:uploadClickConversions"
    assert request.headers["authorization"] == f"Bearer {google_fake.issued[0]}"
    assert request.headers["developer-token"] == "fake-developer-token"
    assert "login-customer-id" not in request.headers
    assert request.json["partialFailure"] is True
    local = event.occurred_at.astimezone(LONDON).replace(microsecond=0)
    offset = local.strftime("%z")
    conversion = request.json["conversions"][0]
    assert len(request.json["conversions"]) == 1
    assert conversion["gclid"] == "TeSt123"
    assert "gbraid" not in conversion and "wbraid" not in conversion
    assert conversion["conversionAction"] == (
        f"customers/{CUSTOMER_ID}/conversionActions/{ATTENDED_ACTION_ID}"
    )
    assert conversion["conversionDateTime"] == (
        local.strftime("%Y-%m-%d %H:%M:%S") + f"{offset[:3]}:{offset[3:]}"
    )
    assert conversion["conversionValue"] == 2500.0
    assert conversion["currencyCode"] == "GBP"
    assert conversion["orderId"] == str(event.pk)
    assert conversion["consent"] == {"adUserData": "GRANTED"}
    with clinic_scope(clinic_a.clinic.pk):
        google = {u.event.kind: u for u in ConversionUpload.objects.filter(platform="google_ads")}
    assert google["attended"].status == UploadStatus.UPLOADED
    assert google["attended"].attempts == 1
    assert google["attended"].uploaded_at is not None
    # Lead, booking and revenue have no Google action mapped in this clinic.
    for kind in ("lead", "booked", "revenue"):
        assert google[kind].status == UploadStatus.NOT_ELIGIBLE
        assert google[kind].reason == NotEligible.KIND_NOT_MAPPED


def test_each_event_has_one_upload_per_platform_whatever_happens(
    clinic_a: Any, google_fake: Any, meta_fake: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.db import IntegrityError, transaction

    from aescrm.conversions.services import uploads_for_event

    configure(clinic_a)
    journey(clinic_a, django_capture_on_commit_callbacks, last=touch(gclid="TeSt123"))
    event = _attended(clinic_a)

    with clinic_scope(clinic_a.clinic.pk):
        assert uploads_for_event(event.pk) == []
        with pytest.raises(IntegrityError), transaction.atomic():
            ConversionUpload.objects.create(
                event=event, platform="google_ads", status="pending", reason=""
            )
        assert ConversionUpload.objects.filter(event=event).count() == 2
