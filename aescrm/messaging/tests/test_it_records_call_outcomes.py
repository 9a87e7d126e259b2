"""How each call ended, from the <Dial> action or the final status; recorded once."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from aescrm.messaging.tests.calls_support import (
    FORWARD_TO,
    call_status,
    calls_of,
    dial_outcome,
    messages_of,
    new_sid,
    ring,
    run_worker,
)
from aescrm.messaging.tests.conftest import connect
from aescrm.testing.fakes.twilio import FakeTwilio
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client, text

CALLER = "+447700900610"


def test_an_answered_call_shows_its_length_on_the_timeline_and_sends_nothing(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    connect(clinic_a, forwarding_number=FORWARD_TO, missed_call_text_enabled=True)
    patient = clinic_a.make_patient(first_name="Ffion", phone=CALLER)
    sid = new_sid()
    ring(sid, sender=CALLER)

    response = dial_outcome(sid, sender=CALLER, dial_status="completed", duration=192)

    assert [child.tag for child in ET.fromstring(response.content)] == ["Hangup"]
    (call,) = calls_of(clinic_a)
    assert (call.outcome, call.twilio_status, call.duration_seconds) == (
        "answered",
        "completed",
        192,
    )
    assert call.message.body == "Answered call, 3 min 12 s"
    assert call.text_back_id is None
    run_worker(clinic_a)
    assert twilio_fake.sent_to(CALLER) == []
    page = text(member_client(clinic_a, "receptionist").get(f"/patients/{patient.pk}/"))
    assert "Answered call, 3 min 12 s" in page
    # Marketers see no message bodies, but a call's outcome is not one.
    page = text(member_client(clinic_a, "marketer").get(f"/patients/{patient.pk}/"))
    assert "Answered call, 3 min 12 s" in page
    timeline = clinic_a.api().get(f"/api/v1/patients/{patient.pk}/timeline").json()
    (item,) = [i for i in timeline if i["type"] == "message"]
    assert (item["channel"], item["summary"]) == ("call", "Answered call, 3 min 12 s")


@pytest.mark.parametrize(
    ("dial_status", "call_status_", "summary"),
    [
        ("no-answer", "in-progress", "Missed call (no answer after 25 s)"),
        ("busy", "in-progress", "Missed call (the clinic's line was busy)"),
        ("failed", "in-progress", "Missed call (the forwarding number could not be reached)"),
        ("no-answer", "completed", "Missed call (the caller hung up before it was answered)"),
    ],
)
def test_a_missed_call_says_why(
    clinic_a: ClinicWorld,
    twilio_fake: FakeTwilio,
    dial_status: str,
    call_status_: str,
    summary: str,
) -> None:
    connect(clinic_a, forwarding_number=FORWARD_TO)
    clinic_a.make_patient(phone=CALLER)
    sid = new_sid()
    ring(sid, sender=CALLER)

    response = dial_outcome(sid, sender=CALLER, dial_status=dial_status, call_status=call_status_)

    say, hangup = ET.fromstring(response.content)
    assert (say.tag, say.attrib["language"], hangup.tag) == ("Say", "en-GB", "Hangup")
    (call,) = calls_of(clinic_a)
    assert (call.outcome, call.message.body) == ("missed", summary)
    assert call.message.conversation.unread_count == 1


def test_a_replayed_outcome_and_the_later_status_change_nothing(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    connect(clinic_a, forwarding_number=FORWARD_TO, missed_call_text_enabled=True)
    clinic_a.make_patient(phone=CALLER)
    sid = new_sid()
    ring(sid, sender=CALLER)
    ring(sid, sender=CALLER)  # Twilio retried the first request
    first = dial_outcome(sid, sender=CALLER, dial_status="no-answer")
    (call,) = calls_of(clinic_a)
    before = (call.outcome, call.message.body, call.ended_at, call.text_back_id)

    again = dial_outcome(sid, sender=CALLER, dial_status="no-answer")
    # Contradicting callbacks after the fact are ignored too.
    dial_outcome(sid, sender=CALLER, dial_status="completed", duration=30)
    call_status(sid, sender=CALLER, status="completed", duration=40)

    assert again.content == first.content
    (call,) = calls_of(clinic_a)
    assert (call.outcome, call.message.body, call.ended_at, call.text_back_id) == before
    assert len(messages_of(clinic_a)) == 2  # the call and one text-back
    run_worker(clinic_a)
    assert len(twilio_fake.sent_to(CALLER)) == 1


def test_the_status_callback_ends_a_call_whose_outcome_never_came(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    connect(clinic_a, forwarding_number=FORWARD_TO)
    clinic_a.make_patient(phone=CALLER)
    hung_up, answered, ringing = new_sid(), new_sid(), new_sid()
    for sid in (hung_up, answered, ringing):
        ring(sid, sender=CALLER)

    call_status(hung_up, sender=CALLER, status="completed", duration=0)
    call_status(answered, sender=CALLER, status="completed", duration=75)
    call_status(ringing, sender=CALLER, status="in-progress")

    by_sid = {c.message.provider_id: c for c in calls_of(clinic_a)}
    assert by_sid[hung_up].message.body == "Missed call (the caller hung up before it was answered)"
    assert by_sid[answered].message.body == "Answered call, 1 min 15 s"
    assert by_sid[ringing].outcome == "ringing"
