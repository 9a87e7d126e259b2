"""STOP withdraws SMS marketing consent, START restores it; reminders still go; HELP answers."""

from __future__ import annotations

import datetime as dt

import pytest

from aescrm.core.tenancy import clinic_scope
from aescrm.messaging import services, worker
from aescrm.messaging.models import Message
from aescrm.messaging.policy import MessageRefused
from aescrm.messaging.tests.conftest import connect, inbound
from aescrm.patients.models import ConsentEvent, Patient
from aescrm.testing.fakes.twilio import FakeTwilio
from aescrm.testing.fixtures import ClinicWorld

NOON = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
PHONE = "+447700900500"


def _queue(world: ClinicWorld, patient: Patient, kind: str, body: str) -> Message:
    with clinic_scope(world.clinic.pk):
        patient.refresh_from_db()
        return services.message_queue(
            caller=world.caller(), patient=patient, body=body, kind=kind, now=NOON
        )


@pytest.mark.parametrize(
    "word", ["STOP", " stop ", "StopAll", "UNSUBSCRIBE", "cancel", "END", "quit"]
)
def test_stop_words_withdraw_consent(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio, word: str
) -> None:
    connect(clinic_a)
    patient = clinic_a.make_patient(phone=PHONE, consent={"sms": True})
    inbound(word, sender=PHONE, sid="SM" + "b" * 32)
    with clinic_scope(clinic_a.clinic.pk):
        patient.refresh_from_db()
        event = ConsentEvent.objects.filter(patient=patient).order_by("-recorded_at").first()
    assert patient.consent_sms is False
    assert event is not None
    assert (event.channel, event.granted, event.source) == ("sms", False, "sms keyword")


def test_after_stop_marketing_is_refused_and_reminders_still_go(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    connect(clinic_a)
    patient = clinic_a.make_patient(phone=PHONE, consent={"sms": True})
    inbound("STOP", sender=PHONE, sid="SM" + "c" * 32)
    with pytest.raises(MessageRefused) as info:
        _queue(clinic_a, patient, "marketing", "20% off whitening this month")
    assert info.value.reason == "opted_out"
    assert "replying STOP on" in info.value.detail
    _queue(clinic_a, patient, "service", "Reminder: hygienist tomorrow at 09:30")
    with clinic_scope(clinic_a.clinic.pk):
        worker.process_clinic(now=NOON)
    assert [m["body"] for m in twilio_fake.sent_to(PHONE)] == [
        "Reminder: hygienist tomorrow at 09:30"
    ]

    inbound("Start", sender=PHONE, sid="SM" + "d" * 32)
    _queue(clinic_a, patient, "marketing", "20% off whitening this month")
    with clinic_scope(clinic_a.clinic.pk):
        worker.process_clinic(now=NOON)
        patient.refresh_from_db()
        sources = list(
            ConsentEvent.objects.filter(patient=patient)
            .order_by("recorded_at")
            .values_list("granted", "source")
        )
    assert patient.consent_sms is True
    assert sources[-2:] == [(False, "sms keyword"), (True, "sms keyword")]
    assert len(twilio_fake.sent_to(PHONE)) == 2


def test_stop_after_queuing_is_caught_by_the_worker(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    connect(clinic_a)
    patient = clinic_a.make_patient(phone=PHONE, consent={"sms": True})
    message = _queue(clinic_a, patient, "marketing", "Spring offers")
    inbound("STOP", sender=PHONE, sid="SM" + "e" * 32)
    with clinic_scope(clinic_a.clinic.pk):
        worker.process_clinic(now=NOON)
        message.refresh_from_db()
    assert (message.status, message.error_code) == ("failed", "opted_out")
    assert "replying STOP on" in message.error_reason
    assert twilio_fake.sent_to(PHONE) == []


def test_help_gets_an_automatic_reply(clinic_a: ClinicWorld, twilio_fake: FakeTwilio) -> None:
    connect(clinic_a, help_contact="call 020 7946 0001 or email hello@alpha.example")
    clinic_a.make_patient(phone=PHONE)
    inbound("help", sender=PHONE, sid="SM" + "f" * 32)
    with clinic_scope(clinic_a.clinic.pk):
        reply = Message.objects.get(direction="outbound")
        # The webhook queued the answer at the real time: send on the real clock.
        worker.process_clinic()
    assert reply.kind == "service"
    assert reply.body == (
        "Alpha Dental: call 020 7946 0001 or email hello@alpha.example. "
        "Reply STOP to stop marketing texts."
    )
    assert [m["body"] for m in twilio_fake.sent_to(PHONE)] == [reply.body]


def test_keywords_inside_a_sentence_are_just_messages(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    connect(clinic_a)
    patient = clinic_a.make_patient(phone=PHONE, consent={"sms": True})
    inbound("please stop the pain", sender=PHONE, sid="SM" + "1" * 32)
    with clinic_scope(clinic_a.clinic.pk):
        patient.refresh_from_db()
    assert patient.consent_sms is True
