"""Inbound SMS: signed for the clinic that owns the number, threaded by phone, stored once."""

from __future__ import annotations

from aescrm.core.tenancy import clinic_scope
from aescrm.messaging.models import Conversation, Message
from aescrm.messaging.tests.conftest import NUMBER_B, PUBLIC, connect, inbound
from aescrm.patients.models import Enquiry, Patient
from aescrm.testing.fakes.twilio import FakeTwilio
from aescrm.testing.fixtures import ClinicWorld

SID = "SM" + "a" * 32


def _messages(world: ClinicWorld) -> list[Message]:
    with clinic_scope(world.clinic.pk):
        return list(Message.objects.order_by("created_at"))


def test_it_lands_on_the_right_patient_in_the_right_clinic(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    connect(clinic_a)
    connect(clinic_b, number=NUMBER_B)
    patient_a = clinic_a.make_patient(phone="07700 900400")
    clinic_b.make_patient(phone="07700 900400")  # the same person is a patient at B too
    response = inbound("Can I move my appointment?", sender="+447700900400", sid=SID)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    assert b"<Response></Response>" in response.content
    (message,) = _messages(clinic_a)
    assert (message.patient_id, message.direction, message.status) == (
        patient_a.pk,
        "inbound",
        "received",
    )
    assert (message.body, message.from_address, message.provider_id) == (
        "Can I move my appointment?",
        "+447700900400",
        SID,
    )
    with clinic_scope(clinic_a.clinic.pk):
        conversation = Conversation.objects.get(patient=patient_a, channel="sms")
    assert conversation.unread_count == 1
    assert _messages(clinic_b) == []


def test_a_wrong_signature_is_refused_and_nothing_stored(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    connect(clinic_a)
    connect(clinic_b, number=NUMBER_B)
    clinic_a.make_patient(phone="07700 900401")
    # Signed with another clinic's token, for another URL, or not at all.
    assert inbound("Hi", sender="+447700900401", sid=SID, token="wrong").status_code == 403
    assert inbound("Hi", sender="+447700900401", sid=SID, url=f"{PUBLIC}/other").status_code == 403
    from django.test import Client

    unsigned = Client().post("/webhooks/twilio/sms", {"To": "+447700900001", "Body": "Hi"})
    assert unsigned.status_code == 403
    assert _messages(clinic_a) == []
    with clinic_scope(clinic_a.clinic.pk):
        assert Patient.objects.count() == 1


def test_a_replay_is_stored_once(clinic_a: ClinicWorld, twilio_fake: FakeTwilio) -> None:
    connect(clinic_a)
    clinic_a.make_patient(phone="07700 900402")
    assert inbound("Hello", sender="+447700900402", sid=SID).status_code == 200
    assert inbound("Hello", sender="+447700900402", sid=SID).status_code == 200
    assert len(_messages(clinic_a)) == 1


def test_an_unknown_number_becomes_a_lead_with_an_sms_enquiry(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    connect(clinic_a)
    inbound("Do you do Invisalign?", sender="07700 900403", sid=SID)
    inbound("Do you do Invisalign?", sender="07700 900403", sid=SID)
    with clinic_scope(clinic_a.clinic.pk):
        (patient,) = Patient.objects.all()
        (enquiry,) = Enquiry.objects.all()
    assert (patient.phone, patient.stage) == ("+447700900403", "lead")
    assert (enquiry.patient_id, enquiry.channel, enquiry.message) == (
        patient.pk,
        "sms",
        "Do you do Invisalign?",
    )
    (message,) = _messages(clinic_a)
    assert message.patient_id == patient.pk


def test_a_number_no_clinic_owns_is_refused(clinic_a: ClinicWorld, twilio_fake: FakeTwilio) -> None:
    connect(clinic_a)
    assert inbound("Hi", sender="+447700900404", sid=SID, to="+447700900999").status_code == 403
    assert _messages(clinic_a) == []
