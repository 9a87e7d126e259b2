"""Honeypot, minimum fill time and link stuffing: looks accepted, creates nothing, counted."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest

from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.public.models import SpamTally
from aescrm.public.spam import fill_seconds, spam_count, spam_reason
from aescrm.public.tests.support import enquiries, enquiry, patients, post_form, post_json

pytestmark = pytest.mark.django_db


def _tally(clinic_a: Any) -> dict[str, int]:
    with clinic_scope(clinic_a.clinic.pk):
        return dict(SpamTally.objects.values_list("reason", "count"))


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"website": "http://cheap-pills.example"}, "honeypot"),
        ({"rendered_at": "NOW"}, "too_fast"),
        ({"fill_ms": "900"}, "too_fast"),
        ({"first_name": "Visit https://spam.example"}, "links"),
        ({"message": "http://a.example http://b.example www.c.example"}, "links"),
        ({"message": '<a href="x">x</a> [url=y]y[/url] https://z.example'}, "links"),
    ],
)
def test_spam_looks_accepted_but_creates_nothing(
    clinic_a: Any, fields: dict[str, str], reason: str
) -> None:
    if fields.get("rendered_at") == "NOW":
        fields = {"rendered_at": str(int(time.time() * 1000))}
    response = post_json(clinic_a.clinic, enquiry(**fields))
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"status", "enquiry", "detail"}
    assert body["status"] == "received"
    assert patients(clinic_a.clinic) == []
    assert enquiries(clinic_a.clinic) == []
    assert _tally(clinic_a) == {reason: 1}
    with clinic_scope(clinic_a.clinic.pk):
        created = AuditEntry.objects.filter(action__in=["patient.create", "enquiry.create"])
        assert not created.exists()


def test_spam_from_a_plain_form_is_redirected_like_a_real_enquiry(
    clinic_a: Any, caplog: Any
) -> None:
    response = post_form(clinic_a.clinic, {**enquiry(), "website": "x"})
    assert f"public enquiry for {clinic_a.clinic.public_key} dropped as spam: honeypot" in (
        caplog.text
    )
    assert "ada@example.org" not in caplog.text
    assert response.status_code == 303
    assert response["Location"].endswith("/thank-you")
    post_form(clinic_a.clinic, {**enquiry(), "website": "y"})
    assert _tally(clinic_a) == {"honeypot": 2}
    assert patients(clinic_a.clinic) == []


def test_real_people_pass(clinic_a: Any) -> None:
    ten_seconds_ago = str(int((time.time() - 10) * 1000))
    response = post_json(
        clinic_a.clinic,
        enquiry(
            website="",
            rendered_at=ten_seconds_ago,
            fill_ms="12000",
            message="Is https://alpha.example/prices up to date? See www.alpha.example",
        ),
    )
    assert response.status_code == 201
    assert len(enquiries(clinic_a.clinic)) == 1
    assert _tally(clinic_a) == {}


def test_fill_time_rules(settings: Any) -> None:
    now = 1_800_000_000.0
    assert fill_seconds({}, now) is None
    assert fill_seconds({"fill_ms": "4500"}, now) == 4.5
    assert fill_seconds({"rendered_at": str(int((now - 8) * 1000))}, now) == 8
    # A visitor's clock ahead of ours proves nothing; junk is ignored, not trusted.
    assert fill_seconds({"rendered_at": str(int((now + 60) * 1000))}, now) is None
    assert fill_seconds({"rendered_at": "soon", "fill_ms": ["1"]}, now) is None
    assert fill_seconds({"fill_ms": "nan"}, now) is None
    settings.PUBLIC_MIN_FILL_SECONDS = 5
    assert spam_reason({"fill_ms": "4999"}, now) == "too_fast"
    assert spam_reason({"fill_ms": "5000"}, now) is None
    assert spam_reason({"website": "   "}, now) is None


def test_spam_is_counted_on_the_clinics_own_day(clinic_a: Any) -> None:
    """00:30 on a summer night in London is still the previous day in UTC."""
    half_past_midnight_bst = dt.datetime(2026, 7, 2, 0, 30, tzinfo=clinic_a.clinic.tz)
    with clinic_scope(clinic_a.clinic.pk):
        spam_count("honeypot", clinic=clinic_a.clinic, now=half_past_midnight_bst)
        days = list(SpamTally.objects.values_list("day", flat=True))
    assert days == [dt.date(2026, 7, 2)]
