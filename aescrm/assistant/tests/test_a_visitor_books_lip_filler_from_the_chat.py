"""The acceptance journey over the public endpoint: price, details, consent, slot, booking."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.assistant.tests.support import LANDING, Visit, stock
from aescrm.attribution.models import Touch
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Appointment, ConsentEvent, Enquiry, Patient

pytestmark = pytest.mark.django_db


def test_price_then_booking_ends_with_an_appointment_carrying_the_ad_click(
    clinic_a: Any,
) -> None:
    stock(clinic_a.clinic)
    visit = Visit(clinic_a.clinic, attribution={"first_touch": LANDING, "last_touch": LANDING})

    price = visit.say("How much is lip filler?")
    assert "£250" in price["reply"]
    assert any(q.startswith("Book") for q in price["quick_replies"])

    asked = visit.say(next(q for q in price["quick_replies"] if q.startswith("Book")))
    assert "18 or over" in asked["reply"]
    when = visit.say("Yes, I'm 18 or over")
    assert "When would suit you" in when["reply"]
    offers = visit.say("tomorrow")
    slots = [q for q in offers["quick_replies"] if q != "Other times"]
    assert slots, offers
    name_q = visit.say(slots[0])
    assert "name" in name_q["reply"]
    contact_q = visit.say("Jane Smith")
    assert "mobile number or email" in contact_q["reply"]
    consent_q = visit.say("07911 123456")
    assert "news and offers" in consent_q["reply"]
    done = visit.say("SMS")
    assert "You're booked for Lip filler (1ml)" in done["reply"]

    with clinic_scope(clinic_a.clinic.pk):
        patient = Patient.objects.get()
        appointment = Appointment.objects.select_related("treatment").get()
        enquiry = Enquiry.objects.get()
        touch = Touch.objects.get(enquiry=enquiry, position="first")
        consents = {(c.channel, c.granted) for c in ConsentEvent.objects.filter(patient=patient)}
    assert (patient.first_name, patient.last_name, patient.phone) == (
        "Jane",
        "Smith",
        "+447911123456",
    )
    assert appointment.patient_id == patient.pk
    assert appointment.treatment.name == "Lip filler (1ml)"
    assert slots[0].split(", ")[1] in done["reply"]
    assert enquiry.channel == "chat"
    assert touch.gclid == "CHAT-GCLID-1" and touch.utm_campaign == "lips-autumn"
    assert ("sms", True) in consents and ("email", True) not in consents
    session = visit.session()
    assert (session.patient_id, session.appointment_id) == (patient.pk, appointment.pk)
