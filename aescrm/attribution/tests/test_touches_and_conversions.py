"""An enquiry's touches reach the patient, and each step credits the right touches."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from aescrm.api.tests.helpers import slot
from aescrm.attribution.models import ConversionEvent, Touch
from aescrm.core.tenancy import clinic_scope
from aescrm.patients import services

AD_CLICK = {
    "gclid": "TeSt123",
    "utm_source": "google",
    "utm_medium": "cpc",
    "utm_campaign": "spring_whitening",
    "utm_term": "teeth whitening london",
    "landing_page": "https://alpha.example/whitening?gclid=TeSt123&utm_source=google",
    "referrer": "https://www.google.co.uk/",
}
NEWSLETTER = {
    "utm_source": "newsletter",
    "utm_medium": "email",
    "utm_campaign": "may_offers",
    "landing_page": "https://alpha.example/offers",
}


def _ms(moment: dt.datetime) -> int:
    return int(moment.timestamp() * 1000)


def _enquire(clinic_a: Any, patient_id: str, **touches: Any) -> Any:
    return clinic_a.api().post(
        "/api/v1/enquiries",
        {"patient": patient_id, "channel": "web_form", "message": "Whitening?", **touches},
    )


def test_first_and_last_touch_are_shown_on_the_patient(clinic_a: Any) -> None:
    """Two enquiries weeks apart: first touch from the ad, last from the newsletter."""
    patient = clinic_a.make_patient(email="touches@example.com")
    month_ago = timezone.now() - dt.timedelta(days=30)
    first = _enquire(
        clinic_a, str(patient.pk), first_touch={**AD_CLICK, "occurred_at": _ms(month_ago)}
    )
    second = _enquire(
        clinic_a,
        str(patient.pk),
        first_touch={**AD_CLICK, "occurred_at": _ms(month_ago)},
        last_touch={**NEWSLETTER, "occurred_at": (timezone.now()).isoformat()},
    )
    assert first.status_code == 201 and second.status_code == 201

    body = clinic_a.api().get(f"/api/v1/patients/{patient.pk}").json()

    first_touch = body["first_touch"]
    assert {k: first_touch[k] for k in AD_CLICK} == AD_CLICK
    assert first_touch["channel"] == "paid_search"
    assert first_touch["fbclid"] is None
    assert dt.datetime.fromisoformat(first_touch["occurred_at"]) == month_ago.replace(
        microsecond=month_ago.microsecond // 1000 * 1000
    )
    assert body["last_touch"]["utm_campaign"] == "may_offers"
    assert body["last_touch"]["channel"] == "email"


def test_booking_and_attending_credit_the_touches_once(clinic_a: Any) -> None:
    patient = clinic_a.make_patient(email="journey@example.com")
    _enquire(clinic_a, str(patient.pk), first_touch=AD_CLICK)
    with clinic_scope(clinic_a.clinic.pk):
        appointment = services.appointment_book(
            caller=clinic_a.caller(),
            patient=patient,
            treatment=clinic_a.treatment,
            practitioner=clinic_a.practitioner,
            starts_at=slot(days=2, hour=10),
            value_pence=250000,
        )
        for _ in range(2):  # marking attended twice records it once
            services.appointment_update(
                caller=clinic_a.caller(), appointment=appointment, status="attended"
            )
        events = {
            e.kind: e
            for e in ConversionEvent.objects.filter(patient=patient).select_related("last_touch")
        }
        touch = Touch.objects.get(patient=patient, position="first")

    assert sorted(events) == ["attended", "booked", "lead", "revenue"]
    for event in events.values():
        assert event.first_touch_id == touch.pk
        assert event.last_touch is not None and event.last_touch.gclid == "TeSt123"
    assert events["attended"].value_pence == 250000
    assert events["revenue"].value_pence == 250000
    assert events["lead"].value_pence == 0


def test_a_patient_with_no_website_visit_converts_uncredited(clinic_a: Any) -> None:
    patient = clinic_a.make_patient(email="walkin@example.com")
    response = clinic_a.api().post(
        "/api/v1/enquiries", {"patient": str(patient.pk), "channel": "walk_in"}
    )
    assert response.status_code == 201
    with clinic_scope(clinic_a.clinic.pk):
        lead = ConversionEvent.objects.get(patient=patient)
    assert (lead.kind, lead.first_touch, lead.last_touch) == ("lead", None, None)


def test_click_ids_and_urls_are_not_stored_readable(clinic_a: Any) -> None:
    from django.db import connection

    patient = clinic_a.make_patient(email="cipher@example.com")
    _enquire(clinic_a, str(patient.pk), first_touch=AD_CLICK)
    with connection.cursor() as cursor, clinic_scope(clinic_a.clinic.pk):
        cursor.execute("SELECT * FROM attribution_touch")
        rows = [" ".join(map(str, row)) for row in cursor.fetchall()]
    assert rows
    for row in rows:
        assert "TeSt123" not in row and "alpha.example/whitening" not in row
        assert "spring_whitening" in row  # campaign names stay readable for reports


def test_a_bare_fbclid_gets_an_fbc_built_as_meta_specifies(clinic_a: Any) -> None:
    patient = clinic_a.make_patient(email="meta@example.com")
    clicked = dt.datetime(2026, 11, 20, 10, 30, tzinfo=dt.UTC)
    _enquire(
        clinic_a,
        str(patient.pk),
        first_touch={"fbclid": "IwAR2xyz", "occurred_at": clicked.isoformat()},
    )
    body = clinic_a.api().get(f"/api/v1/patients/{patient.pk}").json()
    assert body["first_touch"]["fbc"] == f"fb.1.{_ms(clicked)}.IwAR2xyz"


def test_bad_touch_data_is_refused_naming_the_field(clinic_a: Any) -> None:
    patient = clinic_a.make_patient(email="bad@example.com")
    cases = [
        ({"first_touch": {"gclid": "x" * 501}}, "first_touch.gclid"),
        ({"last_touch": {"utm_source": "g", "occurred_at": "yesterday"}}, "last_touch.occurred_at"),
        (
            {"first_touch": {"utm_source": "g", "occurred_at": "2099-01-01T00:00:00Z"}},
            "first_touch.occurred_at",
        ),
        ({"first_touch": {"utm_source": "g", "occurred_at": "2026-11-01T09:00:00"}}, "first_touch"),
        ({"first_touch": {"colour": "blue"}}, "first_touch"),
    ]
    for touches, field in cases:
        response = _enquire(clinic_a, str(patient.pk), **touches)
        assert response.status_code in (400, 422), (touches, response.content)
        problem = response.json()
        named = " ".join(
            [problem.get("detail", "")] + [e.get("field", "") for e in problem.get("errors") or []]
        )
        assert field in named, (touches, problem)
    with clinic_scope(clinic_a.clinic.pk):
        assert not Touch.objects.filter(patient=patient).exists()
        assert not ConversionEvent.objects.filter(patient=patient).exists()
