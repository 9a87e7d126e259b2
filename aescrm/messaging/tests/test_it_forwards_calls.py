"""POST /webhooks/twilio/voice: TwiML that rings the clinic's phone, never records; signed only."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from django.test import Client

from aescrm.core.tenancy import clinic_scope
from aescrm.messaging.tests.calls_support import (
    FORWARD_TO,
    call_status,
    calls_of,
    dial_outcome,
    messages_of,
    new_sid,
    ring,
)
from aescrm.messaging.tests.conftest import NUMBER_B, PUBLIC, connect
from aescrm.patients.models import Patient
from aescrm.testing.fakes.twilio import FakeTwilio
from aescrm.testing.fixtures import ClinicWorld

CALLER = "+447700900600"


def test_the_call_rings_the_clinics_phone_for_its_ring_time_without_recording(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    connect(clinic_a, forwarding_number="01632 960001", ring_seconds=20)
    clinic_a.make_patient(phone=CALLER)

    response = ring(new_sid(), sender=CALLER)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.content)
    (dial,) = root
    assert dial.tag == "Dial"
    assert dial.attrib == {
        "action": f"{PUBLIC}/webhooks/twilio/voice/outcome",
        "method": "POST",
        "timeout": "20",
        "answerOnBridge": "true",
        "record": "do-not-record",
    }
    assert [(n.tag, n.text) for n in dial] == [("Number", FORWARD_TO)]
    assert b"Record" not in response.content.replace(b'record="do-not-record"', b"")


def test_every_call_is_on_the_callers_timeline_while_it_rings(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    connect(clinic_a, forwarding_number=FORWARD_TO)
    patient = clinic_a.make_patient(phone="07700 900600")
    sid = new_sid()

    ring(sid, sender=CALLER)

    (call,) = calls_of(clinic_a)
    message = call.message
    assert (call.patient_id, call.outcome, call.ring_seconds) == (patient.pk, "ringing", 25)
    assert (message.channel, message.direction, message.status) == ("call", "inbound", "received")
    assert (message.provider, message.provider_id, message.body) == ("twilio", sid, "Incoming call")
    assert (message.from_address, message.to_address) == (CALLER, "+447700900001")


def test_without_a_forwarding_number_the_caller_hears_why_and_the_call_is_missed(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    connect(clinic_a)
    clinic_a.make_patient(phone=CALLER)

    response = ring(new_sid(), sender=CALLER)

    root = ET.fromstring(response.content)
    say, hangup = root
    assert (say.tag, hangup.tag) == ("Say", "Hangup")
    assert say.attrib == {"voice": "Polly.Amy", "language": "en-GB"}
    assert say.text is not None and say.text.startswith("Thank you for calling Alpha Dental.")
    assert "Dial" not in response.content.decode()
    (call,) = calls_of(clinic_a)
    assert call.outcome == "missed"
    assert call.message.body == "Missed call (no forwarding number is set)"


def test_a_withheld_number_is_forwarded_but_not_filed(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    connect(clinic_a, forwarding_number=FORWARD_TO)
    response = ring(new_sid(), sender="anonymous")
    assert response.status_code == 200
    assert b"<Dial" in response.content
    assert calls_of(clinic_a) == []


def test_wrong_signatures_are_refused_and_nothing_is_stored(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    connect(clinic_a, forwarding_number=FORWARD_TO)
    connect(clinic_b, number=NUMBER_B, forwarding_number="+441632960002")
    sid = new_sid()
    # Another clinic's token, another URL, a number no clinic owns, no signature at all.
    assert ring(sid, sender=CALLER, token="wrong").status_code == 403
    assert ring(sid, sender=CALLER, url=f"{PUBLIC}/webhooks/twilio/sms").status_code == 403
    assert ring(sid, sender=CALLER, to="+447700900999").status_code == 403
    assert Client().post("/webhooks/twilio/voice", {"To": "+447700900001"}).status_code == 403
    assert calls_of(clinic_a) == [] and messages_of(clinic_a) == []
    with clinic_scope(clinic_a.clinic.pk):
        assert Patient.objects.count() == 0  # no lead made for the unknown caller either

    ring(sid, sender=CALLER)  # the real one
    forged = dial_outcome(sid, sender=CALLER, dial_status="no-answer", token="wrong")
    assert forged.status_code == 403
    assert call_status(sid, sender=CALLER, status="no-answer", token="wrong").status_code == 403
    (call,) = calls_of(clinic_a)
    assert (call.outcome, call.message.body) == ("ringing", "Incoming call")
    assert len(messages_of(clinic_a)) == 1


def test_a_call_to_clinic_b_is_clinic_bs(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    connect(clinic_a, forwarding_number=FORWARD_TO)
    connect(clinic_b, number=NUMBER_B, forwarding_number="+441632960002")
    clinic_a.make_patient(phone=CALLER)
    patient_b = clinic_b.make_patient(phone=CALLER)  # the same person at both clinics

    response = ring(new_sid(), sender=CALLER, to=NUMBER_B)

    assert b"<Number>+441632960002</Number>" in response.content
    assert calls_of(clinic_a) == []
    (call,) = calls_of(clinic_b)
    assert call.patient_id == patient_b.pk
