"""Rendering: the listed merge fields only, British times in the clinic's zone, escaped HTML."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aescrm.core.problems import ValidationFailed
from aescrm.core.tenancy import clinic_scope
from aescrm.templating.models import MessageTemplate
from aescrm.templating.rendering import british_time, render
from aescrm.templating.tests.support import make_template
from aescrm.web.tests.support import book

pytestmark = pytest.mark.django_db

LINKS = {"booking_link": "https://book.example/b/1", "unsubscribe_link": "https://u.example/x"}


def test_it_fills_every_field_with_the_time_in_the_clinics_zone(clinic_a: Any) -> None:
    # Given a patient booked at 10:30 clinic time on Tuesday 3 March 2026 (GMT)
    patient = clinic_a.make_patient(first_name="Amelia")
    appointment = book(clinic_a, patient, dt.datetime(2026, 3, 3, 10, 30))
    template = make_template(clinic_a)

    # When the reminder is rendered
    with clinic_scope(clinic_a.clinic.pk):
        out = render(template, clinic=clinic_a.clinic, patient=patient, appointment=appointment)

    # Then every field is filled in British format, with the SMS parts counted
    assert out.text == (
        "Hi Amelia, see you Tuesday 3 March at 10:30 for Hygienist appointment with Dr Test at "
        "Clinic A."
    ).replace("Clinic A", clinic_a.clinic.name)
    assert out.subject == "" and out.html == ""
    assert out.segments is not None
    assert (out.segments.encoding, out.segments.parts) == ("GSM-7", 1)


def test_british_summer_time_is_shown_as_clock_time(clinic_a: Any) -> None:
    moment = dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.UTC)
    assert british_time(moment, clinic_a.clinic) == "Wednesday 1 July at 10:00"


def test_a_field_that_needs_an_appointment_without_one_is_a_clear_error(clinic_a: Any) -> None:
    patient = clinic_a.make_patient(first_name="Amelia")
    template = make_template(clinic_a)
    with clinic_scope(clinic_a.clinic.pk), pytest.raises(ValidationFailed) as refused:
        render(template, clinic=clinic_a.clinic, patient=patient)
    assert refused.value.field == "appointment"
    assert "{{ appointment_time }}" in refused.value.detail


def test_an_appointment_of_another_patient_is_refused(clinic_a: Any) -> None:
    amelia = clinic_a.make_patient(first_name="Amelia")
    other = clinic_a.make_patient(first_name="Other")
    appointment = book(clinic_a, other, dt.datetime(2026, 3, 3, 10, 30))
    template = make_template(clinic_a)
    with clinic_scope(clinic_a.clinic.pk), pytest.raises(ValidationFailed) as refused:
        render(template, clinic=clinic_a.clinic, patient=amelia, appointment=appointment)
    assert refused.value.field == "appointment"


def test_html_values_are_escaped_and_links_come_from_the_caller(clinic_a: Any) -> None:
    patient = clinic_a.make_patient(first_name="<b>Amy</b> & co")
    template = make_template(
        clinic_a,
        name="Follow-up",
        channel="email",
        subject="Hello {{ first_name }}",
        body_text="Hi {{ first_name }}, book again: {{ booking_link }}",
        body_html='<p>Hi {{ first_name }}</p><a href="{{ booking_link }}">Book</a>',
    )
    with clinic_scope(clinic_a.clinic.pk):
        out = render(template, clinic=clinic_a.clinic, patient=patient, links=LINKS)
    assert out.subject == "Hello <b>Amy</b> & co"
    assert out.text == "Hi <b>Amy</b> & co, book again: https://book.example/b/1"
    assert out.html == (
        '<p>Hi &lt;b&gt;Amy&lt;/b&gt; &amp; co</p><a href="https://book.example/b/1">Book</a>'
    )
    assert out.segments is None


@pytest.mark.parametrize("link", ["", "javascript:alert(1)", 'https://x.example/"onclick'])
def test_a_missing_or_unsafe_link_is_refused(clinic_a: Any, link: str) -> None:
    patient = clinic_a.make_patient()
    template = make_template(clinic_a, body_text="Book: {{ booking_link }}")
    with clinic_scope(clinic_a.clinic.pk), pytest.raises(ValidationFailed) as refused:
        render(template, clinic=clinic_a.clinic, patient=patient, links={"booking_link": link})
    assert refused.value.field == "booking_link"


def test_a_template_cannot_reach_attributes_beyond_the_fields(clinic_a: Any) -> None:
    # A stored template (say, written straight to the database) naming anything else fails
    patient = clinic_a.make_patient(first_name="Amelia", email="amelia@example.com")
    for body in ("{{ patient.email }}", "{{ first_name.upper }}", "{% debug %}", "{{ email }}"):
        template = MessageTemplate(name="x", channel="sms", kind="service", body_text=body)
        with clinic_scope(clinic_a.clinic.pk), pytest.raises(ValidationFailed) as refused:
            render(template, clinic=clinic_a.clinic, patient=patient)
        assert refused.value.field == "body_text"
        assert "amelia@example.com" not in refused.value.detail


def test_a_marketing_template_cannot_bring_a_medicine_in_through_a_field(clinic_a: Any) -> None:
    # Given an appointment for a treatment flagged as a prescription-only medicine
    patient = clinic_a.make_patient()
    with clinic_scope(clinic_a.clinic.pk):
        assert clinic_a.treatment is not None
        clinic_a.treatment.prescription_medicine = True
        clinic_a.treatment.save()
    appointment = book(clinic_a, patient, dt.datetime(2026, 3, 3, 10, 30))
    template = make_template(
        clinic_a, kind="marketing", body_text="Loved your {{ treatment }}? Reply STOP to opt out"
    )
    with clinic_scope(clinic_a.clinic.pk), pytest.raises(ValidationFailed) as refused:
        render(template, clinic=clinic_a.clinic, patient=patient, appointment=appointment)
    assert "prescription-only medicine" in refused.value.detail


def test_unicode_text_is_counted_as_ucs2(clinic_a: Any) -> None:
    patient = clinic_a.make_patient(first_name="Zoë")  # ë is not in GSM-7
    template = make_template(clinic_a, body_text="Hi {{ first_name }} 😊 " + "x" * 70)
    with clinic_scope(clinic_a.clinic.pk):
        out = render(template, clinic=clinic_a.clinic, patient=patient)
    assert out.segments is not None
    assert (out.segments.encoding, out.segments.parts) == ("UCS-2", 2)
