"""Meta Conversions API: standard events, stable event ids, identifiers hashed as Meta says.

Expected hashes are computed here from Meta's normalisation rules, not with the
code under test.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from aescrm.attribution.models import ConversionEvent
from aescrm.conversions import tasks
from aescrm.conversions.identifiers import meta_name
from aescrm.conversions.models import ConversionUpload, NotEligible, UploadStatus
from aescrm.conversions.tests.conftest import configure, journey, touch
from aescrm.core.tenancy import clinic_scope

pytestmark = pytest.mark.django_db

FBC = "fb.1.1554763741205.AbCdEfGhIjKlMnOpQrStUvWxYz1234567890"
FBP = "fb.1.1558571054389.1098115397"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_lead_booking_and_attendance_go_as_lead_schedule_and_purchase(
    clinic_a: Any, google_fake: Any, meta_fake: Any, django_capture_on_commit_callbacks: Any
) -> None:
    configure(clinic_a)
    trip = journey(
        clinic_a,
        django_capture_on_commit_callbacks,
        last=touch(fbc=FBC, fbp=FBP),
        email=" John.Doe@Example.COM ",
        phone="07700 900123",
    )
    tasks.upload_due_conversions.call_local()

    events = {e["event_name"]: e for e in meta_fake.accepted}
    assert sorted(events) == ["Lead", "Purchase", "Schedule"]
    assert len(meta_fake.posts) == 3
    post = meta_fake.posts[0]
    assert post.path == "/v25.0/123456789012345/events"
    assert post.query["access_token"] == ["EAAfake-access-token"]
    assert "test_event_code" not in post.json
    with clinic_scope(clinic_a.clinic.pk):
        by_kind = {e.kind: e for e in ConversionEvent.objects.all()}
    purchase = events["Purchase"]
    assert purchase["event_id"] == str(by_kind["attended"].pk)
    assert purchase["event_time"] == int(by_kind["attended"].occurred_at.timestamp())
    assert purchase["action_source"] == "system_generated"
    assert purchase["custom_data"] == {"value": 2500.0, "currency": "GBP"}
    user = purchase["user_data"]
    assert user["em"] == [sha("john.doe@example.com")]
    assert user["ph"] == [sha("447700900123")]
    assert user["fn"] == [sha("john")]
    assert user["ln"] == [sha("doe")]
    assert user["external_id"] == [sha(str(trip.patient.pk).lower())]
    assert user["fbc"] == FBC
    assert user["fbp"] == FBP
    assert events["Lead"]["event_id"] == str(by_kind["lead"].pk)
    assert "custom_data" not in events["Lead"]
    with clinic_scope(clinic_a.clinic.pk):
        meta = {u.event.kind: u for u in ConversionUpload.objects.filter(platform="meta")}
    assert {k: u.status for k, u in meta.items()} == {
        "lead": UploadStatus.UPLOADED,
        "booked": UploadStatus.UPLOADED,
        "attended": UploadStatus.UPLOADED,
        "revenue": UploadStatus.NOT_ELIGIBLE,  # attended already reports the value
    }
    assert meta["revenue"].reason == NotEligible.KIND_NOT_MAPPED


def test_names_are_lower_case_without_punctuation_in_utf8() -> None:
    assert meta_name("  O'Brien-Smith ") == "obriensmith"
    assert meta_name("Zoë") == "zoë"
    assert sha(meta_name("Zoë")) == hashlib.sha256("zoë".encode()).hexdigest()
    assert meta_name("Mary Ann") == "maryann"


def test_a_fbclid_becomes_an_unhashed_fbc_and_the_test_code_is_sent(
    clinic_a: Any, google_fake: Any, meta_fake: Any, django_capture_on_commit_callbacks: Any
) -> None:
    configure(clinic_a, meta_test_event_code="TEST12345")
    journey(clinic_a, django_capture_on_commit_callbacks, last=touch(fbclid="IwAR0abc"))

    post = meta_fake.posts[0]
    assert post.json["test_event_code"] == "TEST12345"
    fbc = post.json["data"][0]["user_data"]["fbc"]
    assert fbc.startswith("fb.1.") and fbc.endswith(".IwAR0abc")


def test_without_marketing_consent_nothing_goes_to_meta(
    clinic_a: Any, google_fake: Any, meta_fake: Any, django_capture_on_commit_callbacks: Any
) -> None:
    configure(clinic_a)
    journey(
        clinic_a,
        django_capture_on_commit_callbacks,
        last=touch(fbc=FBC, marketing_consent=False),
    )

    assert meta_fake.requests == []
    with clinic_scope(clinic_a.clinic.pk):
        reasons = set(
            ConversionUpload.objects.filter(platform="meta").values_list("reason", flat=True)
        )
    assert reasons == {NotEligible.NO_CONSENT, NotEligible.KIND_NOT_MAPPED}


def test_contact_details_need_the_patients_channel_consent(
    clinic_a: Any, google_fake: Any, meta_fake: Any, django_capture_on_commit_callbacks: Any
) -> None:
    configure(clinic_a)
    journey(
        clinic_a,
        django_capture_on_commit_callbacks,
        last=touch(fbc=FBC),
        consent={"email": True, "sms": False},
    )

    user = meta_fake.accepted[0]["user_data"]
    assert user["em"] == [sha("john.doe@example.com")]
    assert "ph" not in user
    assert {"external_id", "fbc", "fn", "ln"} <= set(user)


def test_no_marketing_consent_at_all_sends_only_the_pseudonymous_id(
    clinic_a: Any, google_fake: Any, meta_fake: Any, django_capture_on_commit_callbacks: Any
) -> None:
    configure(clinic_a)
    journey(
        clinic_a,
        django_capture_on_commit_callbacks,
        last=touch(fbc=FBC),
        consent={"email": False, "sms": False},
    )

    user = meta_fake.accepted[0]["user_data"]
    assert set(user) == {"external_id", "fbc"}
