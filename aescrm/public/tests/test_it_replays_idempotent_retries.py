"""Idempotency-Key: the same request again gets the first answer and creates nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aescrm.core.tenancy import clinic_scope
from aescrm.public.models import IdempotencyRecord
from aescrm.public.tests.support import enquiries, enquiry, patients, post_form, post_json

pytestmark = pytest.mark.django_db


def test_a_retry_returns_the_first_answer(clinic_a: Any) -> None:
    first = post_json(clinic_a.clinic, enquiry(), HTTP_IDEMPOTENCY_KEY="retry-1")
    again = post_json(clinic_a.clinic, enquiry(), HTTP_IDEMPOTENCY_KEY="retry-1")
    assert first.status_code == again.status_code == 201
    assert first.content == again.content
    assert len(enquiries(clinic_a.clinic)) == 1
    # The fill time is measured afresh on each attempt and does not make it "different".
    third = post_json(clinic_a.clinic, enquiry(fill_ms="9000"), HTTP_IDEMPOTENCY_KEY="retry-1")
    assert third.content == first.content
    assert len(enquiries(clinic_a.clinic)) == 1


def test_a_retried_form_post_gets_the_same_redirect(clinic_a: Any) -> None:
    data = {"first_name": "Grace", "phone": "07700900124"}
    first = post_form(clinic_a.clinic, data, HTTP_IDEMPOTENCY_KEY="form-1")
    again = post_form(clinic_a.clinic, data, HTTP_IDEMPOTENCY_KEY="form-1")
    assert first.status_code == again.status_code == 303
    assert first["Location"] == again["Location"]
    assert len(enquiries(clinic_a.clinic)) == 1


def test_the_same_key_with_another_body_is_refused(clinic_a: Any) -> None:
    post_json(clinic_a.clinic, enquiry(), HTTP_IDEMPOTENCY_KEY="k-2")
    other = post_json(clinic_a.clinic, enquiry(message="Other"), HTTP_IDEMPOTENCY_KEY="k-2")
    assert other.status_code == 422
    body = other.json()
    assert body["title"] == "Idempotency key reused"
    assert body["errors"][0]["field"] == "Idempotency-Key"
    assert len(enquiries(clinic_a.clinic)) == 1


def test_keys_are_per_clinic_and_expire_after_a_day(clinic_a: Any, clinic_b: Any) -> None:
    post_json(clinic_a.clinic, enquiry(), HTTP_IDEMPOTENCY_KEY="shared")
    b = post_json(
        clinic_b.clinic, enquiry(), origin="https://bravo.example", HTTP_IDEMPOTENCY_KEY="shared"
    )
    assert b.status_code == 201
    assert len(enquiries(clinic_b.clinic)) == 1
    with clinic_scope(clinic_a.clinic.pk):
        record = IdempotencyRecord.objects.get()
        assert record.key_hash != "shared" and len(record.key_hash) == 64
        assert (
            abs(record.expires_at - record.created_at - dt.timedelta(hours=24)).total_seconds() < 1
        )
        IdempotencyRecord.objects.update(expires_at=record.created_at)
    later = post_json(clinic_a.clinic, enquiry(message="New"), HTTP_IDEMPOTENCY_KEY="shared")
    assert later.status_code == 201
    assert len(enquiries(clinic_a.clinic)) == 2
    with clinic_scope(clinic_a.clinic.pk):
        assert IdempotencyRecord.objects.count() == 1


def test_errors_are_not_stored_and_bad_keys_are_refused(clinic_a: Any) -> None:
    bad = post_json(clinic_a.clinic, enquiry(email="", phone=""), HTTP_IDEMPOTENCY_KEY="k-3")
    assert bad.status_code == 422
    fixed = post_json(clinic_a.clinic, enquiry(), HTTP_IDEMPOTENCY_KEY="k-3")
    assert fixed.status_code == 201
    for key in ("", "x" * 256, "spaces are not allowed", "caf\u00e9"):
        response = post_json(clinic_a.clinic, enquiry(), HTTP_IDEMPOTENCY_KEY=key)
        assert response.status_code == 422, key
        assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert len(patients(clinic_a.clinic)) == 1
