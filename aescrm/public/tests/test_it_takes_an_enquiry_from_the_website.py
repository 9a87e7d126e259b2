"""A website enquiry becomes a lead with its touches, consent and an audit trail."""

from __future__ import annotations

import json
from typing import Any

import pytest

from aescrm.attribution.models import ConversionEvent, Touch
from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import ConsentEvent
from aescrm.public.tests.support import (
    WORDING,
    enquiries,
    enquiry,
    patients,
    post_form,
    post_json,
)

pytestmark = pytest.mark.django_db


def test_json_enquiry_creates_a_lead_with_touches_and_consent(clinic_a: Any) -> None:
    response = post_json(
        clinic_a.clinic,
        enquiry(
            treatment="hygienist APPOINTMENT",
            preferred_time="Weekday mornings",
            consent={"email": True, "sms": True, "phone": False},
            consent_wording=WORDING,
            first_touch={
                "gclid": "Cj0KCQ",
                "utm_source": "google",
                "utm_medium": "cpc",
                "utm_campaign": "spring_whitening",
                "landing_page": "https://alpha.example/whitening?gclid=Cj0KCQ",
                "occurred_at": "2026-11-20T09:00:00Z",
                "marketing_consent": True,
            },
            last_touch={"utm_source": "newsletter", "utm_medium": "email"},
        ),
        HTTP_USER_AGENT="Mozilla/5.0 test",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "received"
    [patient] = patients(clinic_a.clinic)
    assert (patient.first_name, patient.last_name) == ("Ada", "Lovelace")
    assert (patient.email, patient.phone) == ("ada@example.org", "+447700900123")
    assert patient.stage == "lead"
    assert patient.consent == {"sms": True, "email": True, "phone": False}
    [enq] = enquiries(clinic_a.clinic)
    assert body["enquiry"] == str(enq.pk)
    assert enq.channel == "web_form"
    assert enq.treatment_id == clinic_a.treatment.pk
    assert enq.message == "I'd like to ask about whitening.\n\nPreferred time: Weekday mornings"
    with clinic_scope(clinic_a.clinic.pk):
        first = Touch.objects.get(enquiry=enq, position="first")
        last = Touch.objects.get(enquiry=enq, position="last")
        events = {(e.channel, e.granted, e.source, e.wording) for e in ConsentEvent.objects.all()}
        lead = ConversionEvent.objects.get(enquiry=enq)
        audit = {e.action: e for e in AuditEntry.objects.filter(clinic_id=clinic_a.clinic.pk)}
    assert (first.gclid, first.utm_campaign, first.channel) == (
        "Cj0KCQ",
        "spring_whitening",
        "paid_search",
    )
    assert first.marketing_consent is True
    assert (last.utm_source, last.channel) == ("newsletter", "email")
    assert events == {("email", True, "web_form", WORDING), ("sms", True, "web_form", WORDING)}
    assert lead.kind == "lead"
    for action in ("patient.create", "enquiry.create"):
        entry = audit[action]
        assert entry.actor_type == "public"
        assert entry.actor_id == clinic_a.clinic.public_key
        assert entry.ip == "127.0.0.1"
        assert entry.user_agent == "Mozilla/5.0 test"


def test_a_plain_html_form_gets_the_hosted_thank_you_page(clinic_a: Any) -> None:
    response = post_form(
        clinic_a.clinic,
        [
            ("first_name", "Grace"),
            ("email", "grace@example.org"),
            ("first_touch.utm_source", "facebook"),
            ("first_touch.utm_medium", "paid_social"),
            ("first_touch.utm_source", "ignored-second-value"),
            ("last_touch.fbclid", "IwAR123"),
            ("last_touch.marketing_consent", "false"),
            ("consent.email", "on"),
            ("consent_wording", WORDING),
            ("How did you hear about us", "A friend"),
            ("submit", ""),
        ],
    )

    assert response.status_code == 303
    thank_you = f"/public/v1/{clinic_a.clinic.public_key}/thank-you"
    assert response["Location"] == thank_you
    [patient] = patients(clinic_a.clinic)
    assert patient.consent == {"sms": False, "email": True, "phone": False}
    [enq] = enquiries(clinic_a.clinic)
    assert enq.message == "How did you hear about us: A friend"
    with clinic_scope(clinic_a.clinic.pk):
        first = Touch.objects.get(enquiry=enq, position="first")
        last = Touch.objects.get(enquiry=enq, position="last")
    assert (first.utm_source, first.channel) == ("facebook", "paid_social")
    assert last.fbclid == "IwAR123"
    assert last.fbc.startswith("fb.1.") and last.fbc.endswith(".IwAR123")
    assert last.marketing_consent is False


def test_the_hosted_thank_you_page_names_the_clinic(client: Any, clinic_a: Any) -> None:
    page = client.get(f"/public/v1/{clinic_a.clinic.public_key}/thank-you")
    assert page.status_code == 200
    assert "Your enquiry has been sent to Alpha Dental" in page.content.decode()
    assert client.get("/public/v1/pk_nobody/thank-you").status_code == 404


def test_a_clinic_can_send_the_visitor_to_its_own_thank_you_page(clinic_a: Any) -> None:
    clinic_a.clinic.thank_you_url = "https://alpha.example/thank-you"
    clinic_a.clinic.save()
    response = post_form(clinic_a.clinic, {"first_name": "Grace", "phone": "07700900124"})
    assert response.status_code == 303
    assert response["Location"] == "https://alpha.example/thank-you"


def test_a_thank_you_address_cannot_inject_headers(clinic_a: Any) -> None:
    """A line break in the address would split the Location header (or fail every form)."""
    from aescrm.accounts.models import Clinic
    from aescrm.web.tests.support import member_client

    bad = "https://alpha.example/thanks\r\nSet-Cookie: session=stolen"
    refused = member_client(clinic_a, "owner").post(
        "/settings/website", {"website_domains": "alpha.example", "thank_you_url": bad}
    )
    assert refused.status_code == 400
    assert Clinic.objects.get(pk=clinic_a.clinic.pk).thank_you_url == ""

    # One saved before this check: the visitor still gets a thank-you page, not an error.
    Clinic.objects.filter(pk=clinic_a.clinic.pk).update(thank_you_url=bad)
    clinic = Clinic.objects.get(pk=clinic_a.clinic.pk)
    response = post_form(clinic, {"first_name": "Grace", "phone": "07700900124"})
    assert response.status_code == 303
    assert response["Location"] == f"/public/v1/{clinic.public_key}/thank-you"
    assert "Set-Cookie" not in response


def test_a_thank_you_address_with_accents_is_sent_percent_encoded(clinic_a: Any) -> None:
    clinic_a.clinic.thank_you_url = "https://alpha.example/merci-beaucoup-é"
    clinic_a.clinic.save()
    response = post_form(clinic_a.clinic, {"first_name": "Grace", "phone": "07700900124"})
    assert response.status_code == 303
    assert response["Location"] == "https://alpha.example/merci-beaucoup-%C3%A9"


def test_the_widget_s_fetch_submission_gets_json(clinic_a: Any) -> None:
    response = post_form(
        clinic_a.clinic,
        {"first_name": "Grace", "phone": "07700900124"},
        accept="application/json",
    )
    assert response.status_code == 201
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"].startswith("Thank you.")


def test_treatment_by_id_and_unknown_treatment(clinic_a: Any) -> None:
    ok = post_json(clinic_a.clinic, enquiry(treatment=str(clinic_a.treatment.pk)))
    assert ok.status_code == 201
    assert enquiries(clinic_a.clinic)[0].treatment_id == clinic_a.treatment.pk
    bad = post_json(clinic_a.clinic, enquiry(treatment="Liposuction"))
    assert bad.status_code == 422
    assert bad.json()["errors"] == [
        {"field": "treatment", "message": "this clinic offers no treatment 'Liposuction'"}
    ]
    assert len(enquiries(clinic_a.clinic)) == 1


def test_an_unknown_public_key_is_not_found(client: Any, clinic_a: Any) -> None:
    missing = client.post(
        "/public/v1/pk_does_not_exist/enquiries",
        json.dumps(enquiry()),
        content_type="application/json",
        HTTP_ORIGIN="https://alpha.example",
    )
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"
    assert "Access-Control-Allow-Origin" not in missing
    assert client.options("/public/v1/pk_does_not_exist/enquiries").status_code == 404
    assert patients(clinic_a.clinic) == []


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"email": "", "phone": ""}, "email", "give an email address or a phone number"),
        ({"first_name": "", "last_name": ""}, "first_name", "give your name"),
        ({"email": "not-an-email"}, "email", "the email address is not valid"),
        ({"phone": "12"}, "phone", "the phone number is not valid"),
        ({"consent": {"sms": True}}, "consent_wording",
         "say what consent wording was shown (kept as evidence of the consent)"),
        ({"consent": {"fax": True}}, "consent.fax",
         "consent has no channel 'fax' (sms, email, phone)"),
        ({"consent": {"sms": "perhaps"}}, "consent.sms", "consent.sms must be true or false"),
        ({"first_name": ["Ada", "Bob"]}, "first_name", "first_name must be text"),
        ({"message": {"a": 1}}, "message", "message must be text"),
        ({"message": "x" * 5001}, "message", "message is longer than 5000 characters"),
        ({"last_name": "Love\x00lace"}, "last_name", "last_name contains a NUL character"),
        ({"first_touch": "gclid=1"}, "first_touch", "first_touch must be an object"),
        ({"first_touch": {"utm_source": 7}}, "first_touch.utm_source",
         "first_touch.utm_source must be text"),
        ({"last_touch": {"gclid": "g", "occurred_at": "tomorrow"}}, "last_touch.occurred_at",
         "last_touch.occurred_at is not a time (ISO 8601, e.g. 2026-05-01T09:00:00Z)"),
    ],
)  # fmt: skip
def test_bad_fields_get_problem_details_naming_them(
    clinic_a: Any, fields: dict[str, Any], field: str, message: str
) -> None:
    response = post_json(clinic_a.clinic, enquiry(**fields))
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 422
    assert body["title"] == "Invalid input"
    assert body["errors"] == [{"field": field, "message": message}]
    assert patients(clinic_a.clinic) == []


def test_a_plain_form_with_an_error_gets_a_readable_page(clinic_a: Any) -> None:
    response = post_form(
        clinic_a.clinic,
        {"first_name": "Grace"},
        HTTP_REFERER="https://alpha.example/contact",
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Your enquiry has not been sent" in page
    assert "give an email address or a phone number" in page
    assert 'href="https://alpha.example/contact"' in page


def test_touch_times_from_a_visitor_clock_set_wrong_are_corrected(clinic_a: Any) -> None:
    import time

    ahead_ms = 2 * 3600 * 1000
    visitor_now = int(time.time() * 1000) + ahead_ms
    touch = {"utm_source": "google", "occurred_at": str(visitor_now - 5 * 60 * 1000)}
    wrong = post_json(clinic_a.clinic, enquiry(first_touch=touch))
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "first_touch.occurred_at"
    ok = post_json(clinic_a.clinic, enquiry(first_touch=touch, sent_at=str(visitor_now)))
    assert ok.status_code == 201
    with clinic_scope(clinic_a.clinic.pk):
        stored = Touch.objects.get(position="first").occurred_at.timestamp()
    assert abs(stored - (time.time() - 300)) < 30


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ({"marketing_consent": True}, True),
        ({"marketing_consent": "false"}, False),
        # The site asked nothing: the widget sends no answer (form) or null (fetch).
        ({}, None),
        ({"marketing_consent": None}, None),
        ({"marketing_consent": ""}, None),
    ],
)
def test_the_visitor_s_consent_answer_is_kept_as_given_or_as_unknown(
    clinic_a: Any, sent: dict[str, Any], kept: bool | None
) -> None:
    response = post_json(
        clinic_a.clinic,
        enquiry(first_touch={"gclid": "Cj0Consent", "utm_source": "google", **sent}),
    )

    assert response.status_code == 201, response.content
    with clinic_scope(clinic_a.clinic.pk):
        touch = Touch.objects.get(position="first")
    assert touch.marketing_consent is kept
