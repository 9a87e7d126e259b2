"""A missed call gets one text back, sent within a minute; never twice, never after STOP."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from aescrm.core.tenancy import clinic_scope
from aescrm.messaging import calls
from aescrm.messaging.models import Call, CallOutcome, Message
from aescrm.messaging.tests.calls_support import (
    FORWARD_TO,
    calls_of,
    dial_outcome,
    new_sid,
    ring,
    run_worker,
)
from aescrm.messaging.tests.conftest import connect, inbound
from aescrm.messaging.webhooks import webhook_caller
from aescrm.patients.models import Enquiry, Patient
from aescrm.testing.fakes import twilio as fake_twilio
from aescrm.testing.fakes.twilio import FakeTwilio
from aescrm.testing.fixtures import ClinicWorld

CALLER = "+447700900620"
DEFAULT_TEXT = (
    "Sorry we missed your call to Alpha Dental. How can we help? "
    "Reply to this message or we'll call you back."
)


def _miss(sender: str = CALLER) -> str:
    sid = new_sid()
    ring(sid, sender=sender)
    dial_outcome(sid, sender=sender, dial_status="no-answer")
    return sid


def _texts_to(twilio_fake: FakeTwilio, number: str = CALLER) -> list[str]:
    return [m["body"] for m in twilio_fake.sent_to(number)]


def test_a_known_patient_is_texted_back_once_within_a_minute(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    connect(clinic_a, forwarding_number=FORWARD_TO, missed_call_text_enabled=True)
    patient = clinic_a.make_patient(phone="07700 900620")
    sid = _miss()

    response = dial_outcome(sid, sender=CALLER, dial_status="no-answer")  # replayed
    assert b"We'll send you a text message in a moment." in response.content
    (call,) = calls_of(clinic_a)
    assert call.text_back_id is not None
    with clinic_scope(clinic_a.clinic.pk):
        text_back = Message.objects.get(pk=call.text_back_id)
    # Due now, even in quiet hours: it answers the patient's own call.
    assert (text_back.patient_id, text_back.kind, text_back.urgent) == (patient.pk, "service", True)
    assert text_back.next_attempt_at is not None
    assert text_back.next_attempt_at <= timezone.now()

    assert run_worker(clinic_a) == 1
    assert run_worker(clinic_a) == 0
    assert _texts_to(twilio_fake) == [DEFAULT_TEXT]
    (sent,) = twilio_fake.sent_to(CALLER)
    assert sent["from"] == fake_twilio.NUMBER


def test_an_unknown_caller_becomes_a_lead_and_is_texted_back(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    connect(
        clinic_a,
        forwarding_number=FORWARD_TO,
        missed_call_text_enabled=True,
        missed_call_text="{{ clinic_name }} here: sorry we missed you! Text us back.",
    )
    _miss(sender="07700 900621")
    run_worker(clinic_a)

    with clinic_scope(clinic_a.clinic.pk):
        (patient,) = Patient.objects.all()
        (enquiry,) = Enquiry.objects.all()
    assert (patient.phone, patient.stage, patient.last_name) == (
        "+447700900621",
        "lead",
        "(phone enquiry)",
    )
    assert (enquiry.patient_id, enquiry.channel) == (patient.pk, "phone")
    (call,) = calls_of(clinic_a)
    assert call.patient_id == patient.pk
    assert _texts_to(twilio_fake, "+447700900621") == [
        "Alpha Dental here: sorry we missed you! Text us back."
    ]


def test_with_text_back_off_nothing_is_sent(clinic_a: ClinicWorld, twilio_fake: FakeTwilio) -> None:
    connect(clinic_a, forwarding_number=FORWARD_TO, missed_call_text_enabled=False)
    clinic_a.make_patient(phone=CALLER)
    _miss()
    run_worker(clinic_a)
    (call,) = calls_of(clinic_a)
    assert (call.outcome, call.text_back_id) == ("missed", None)
    assert _texts_to(twilio_fake) == []


def test_three_rings_in_ten_minutes_get_one_text(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    connect(clinic_a, forwarding_number=FORWARD_TO, missed_call_text_enabled=True)
    clinic_a.make_patient(phone=CALLER)
    for _ in range(3):
        _miss()
    run_worker(clinic_a)
    assert len(_texts_to(twilio_fake)) == 1
    # Once the first text-back is more than ten minutes old, the next missed call gets one.
    with clinic_scope(clinic_a.clinic.pk):
        Call.objects.update(ended_at=timezone.now() - dt.timedelta(minutes=11))
    _miss()
    run_worker(clinic_a)
    assert len(_texts_to(twilio_fake)) == 2


def test_no_text_back_after_stop_until_start(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    connect(clinic_a, forwarding_number=FORWARD_TO, missed_call_text_enabled=True)
    clinic_a.make_patient(phone=CALLER)  # never consented to marketing
    inbound("Stop", sender=CALLER, sid="SM" + "1" * 32)
    _miss()
    run_worker(clinic_a)
    assert _texts_to(twilio_fake) == []
    (call,) = calls_of(clinic_a)
    assert call.outcome == "missed"

    inbound("START", sender=CALLER, sid="SM" + "2" * 32)
    _miss()
    run_worker(clinic_a)
    assert _texts_to(twilio_fake) == [DEFAULT_TEXT]


def test_a_restricted_patient_gets_no_text_but_the_call_is_recorded(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    connect(clinic_a, forwarding_number=FORWARD_TO, missed_call_text_enabled=True)
    patient = clinic_a.make_patient(phone=CALLER)
    with clinic_scope(clinic_a.clinic.pk):
        Patient.objects.filter(pk=patient.pk).update(restricted=True)
    response_sid = _miss()
    run_worker(clinic_a)
    (call,) = calls_of(clinic_a)
    assert (call.message.provider_id, call.outcome, call.text_back_id) == (
        response_sid,
        "missed",
        None,
    )
    assert _texts_to(twilio_fake) == []


def test_a_missed_call_late_at_night_is_texted_at_once(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    row = connect(clinic_a, forwarding_number=FORWARD_TO, missed_call_text_enabled=True)
    clinic_a.make_patient(phone=CALLER)
    late = dt.datetime(2026, 11, 27, 23, 0, tzinfo=dt.UTC)  # 23:00 in London
    caller = webhook_caller(clinic_a.clinic.pk)
    with clinic_scope(clinic_a.clinic.pk):
        call = calls.call_begin(caller=caller, row=row, call_sid=new_sid(), phone=CALLER, now=late)
        ending = calls.Ending(CallOutcome.MISSED, "no-answer", 0)
        calls.call_end(caller=caller, call=call, ending=ending, row=row, now=late)
        assert call.text_back_id is not None
        text_back = Message.objects.get(pk=call.text_back_id)
    assert (text_back.next_attempt_at, text_back.send_after) == (late, None)
