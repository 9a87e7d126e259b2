"""A visitor who says their own age while asking to book ("anti-wrinkle consultation please,
I'm 45") is not asked whether they are 18; one booking for someone else still is, and one
who says they are 17 is refused."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.assistant.tests.support import Visit, stock
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Appointment, ConsentEvent, Patient

pytestmark = pytest.mark.django_db


def test_an_adult_who_gave_their_age_goes_straight_to_the_time(clinic_a: Any) -> None:
    stock(clinic_a.clinic)
    visit = Visit(clinic_a.clinic)

    answer = visit.say("I'd like to book an anti-wrinkle consultation please, I'm 45")

    assert "18 or over" not in answer["reply"]
    assert "When would suit you" in answer["reply"]
    assert "botox" not in answer["reply"].lower()


def test_booking_for_someone_else_still_asks(clinic_a: Any) -> None:
    stock(clinic_a.clinic)
    visit = Visit(clinic_a.clinic)

    answer = visit.say("can i book lip filler for my sister, I'm 30")

    assert "18 or over" in answer["reply"]


def test_a_visitor_who_says_they_are_17_is_not_booked(clinic_a: Any) -> None:
    stock(clinic_a.clinic)
    visit = Visit(clinic_a.clinic)

    answer = visit.say("can i book lip filler, im 17")

    assert "18" in answer["reply"]
    assert "When would suit you" not in answer["reply"]
    with clinic_scope(clinic_a.clinic.pk):
        assert not Appointment.objects.exists()


def test_phone_call_consent_is_recorded_and_texts_and_emails_refused(clinic_a: Any) -> None:
    stock(clinic_a.clinic)
    visit = Visit(clinic_a.clinic)

    visit.say("I'd like to book teeth whitening please, I'm 38")
    offers = visit.say("tomorrow")
    slots = [q for q in offers["quick_replies"] if q != "Other times"]
    assert slots, offers
    visit.say(slots[0])
    visit.say("Susan Pike")
    visit.say("07700 900644")
    done = visit.say("phone calls are fine but no texts or emails please")

    assert "You're booked" in done["reply"]
    with clinic_scope(clinic_a.clinic.pk):
        patient = Patient.objects.get()
        granted = {c.channel for c in ConsentEvent.objects.filter(patient=patient) if c.granted}
    assert granted == {"phone"}
