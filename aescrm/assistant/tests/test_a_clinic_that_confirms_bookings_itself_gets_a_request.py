"""A clinic whose assistant takes booking requests: the visitor's preferred time goes to the
team as an enquiry; no appointment is made until someone confirms it."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.assistant.tests.support import LANDING, Visit, stock
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Appointment, Enquiry

pytestmark = pytest.mark.django_db


def test_the_preferred_time_reaches_the_team_as_a_request(clinic_a: Any) -> None:
    stock(clinic_a.clinic, booking_mode="request")
    visit = Visit(clinic_a.clinic, attribution={"first_touch": LANDING})
    visit.say("I'd like to book teeth whitening")
    visit.say("next tuesday afternoon")
    visit.say("Tom Baker")
    visit.say("tom.baker@example.org")
    done = visit.say("no thanks")
    assert "request" in done["reply"] and "confirm" in done["reply"]
    assert "Tuesday" in done["reply"]
    with clinic_scope(clinic_a.clinic.pk):
        assert not Appointment.objects.exists()
        enquiry = Enquiry.objects.select_related("treatment", "patient").get()
        assert enquiry.channel == "chat"
        assert enquiry.treatment is not None and enquiry.treatment.name == "Teeth whitening"
        assert "Preferred time: Tuesday afternoon" in (enquiry.message or "")
        assert enquiry.patient.email == "tom.baker@example.org"
        assert not enquiry.patient.consent_email
