"""POST /webhooks/postmark/inbound: Postmark's documented JSON threads into the right
conversation, or makes a lead; replays store once; the clinic's own login is required."""

from __future__ import annotations

import datetime as dt

from aescrm.core.tenancy import clinic_scope
from aescrm.mail.models import EmailDetail
from aescrm.mail.tests import payloads
from aescrm.mail.tests.conftest import connect, login_of, post_hook
from aescrm.messaging import services, worker
from aescrm.messaging.models import Conversation, Message
from aescrm.patients.models import Enquiry, Patient
from aescrm.testing.fakes.postmark import FakePostmark
from aescrm.testing.fixtures import ClinicWorld

NOON = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
HOOK = "/webhooks/postmark/inbound"


def _email_patient(world: ClinicWorld, email: str) -> tuple[Patient, Message]:
    """A patient sent one email through the fake Postmark."""
    patient = world.make_patient(email=email, first_name=email.split("@")[0].title())
    with clinic_scope(world.clinic.pk):
        message = services.message_queue(
            caller=world.caller(),
            patient=patient,
            body="Your appointment is on Friday at 10:00.",
            kind="service",
            channel="email",
            subject="Your appointment",
            now=NOON,
        )
        worker.process_clinic(now=NOON)
        return patient, Message.objects.get(pk=message.pk)


def _inbound(world: ClinicWorld) -> list[Message]:
    with clinic_scope(world.clinic.pk):
        return list(
            Message.objects.filter(direction="inbound").select_related("conversation", "patient")
        )


def test_a_reply_threads_by_its_reply_address(
    clinic_a: ClinicWorld, postmark_fake: FakePostmark
) -> None:
    row = connect(clinic_a)
    jane, to_jane = _email_patient(clinic_a, "jane@example.com")
    _, to_omar = _email_patient(clinic_a, "omar@example.com")
    with clinic_scope(clinic_a.clinic.pk):
        token = to_jane.conversation.reply_address.token
    # Sent from another address of Jane's: the reply address alone threads it.
    payload = payloads.inbound(sender="jane.at.work@example.org", mailbox_hash=token)
    response = post_hook(HOOK, payload, login_of(row))
    assert response.status_code == 200
    (reply,) = _inbound(clinic_a)
    assert reply.conversation_id == to_jane.conversation_id != to_omar.conversation_id
    assert reply.patient_id == jane.pk
    assert reply.channel == "email"
    assert (reply.provider, reply.provider_id) == ("postmark", payload["MessageID"])
    # The quoted text is left out: Postmark's StrippedTextReply.
    assert reply.body == "Thank you, see you then."
    assert reply.from_address == "jane.at.work@example.org"
    with clinic_scope(clinic_a.clinic.pk):
        detail = EmailDetail.objects.get(message=reply)
        conversation = Conversation.objects.get(pk=reply.conversation_id)
    assert detail.subject == "Re: Your appointment"
    assert detail.header_id == "<CAE2abc123@mail.example.net>"
    assert conversation.unread_count == 1


def test_a_reply_threads_by_in_reply_to(clinic_a: ClinicWorld, postmark_fake: FakePostmark) -> None:
    row = connect(clinic_a)
    _, to_jane = _email_patient(clinic_a, "jane2@example.com")
    with clinic_scope(clinic_a.clinic.pk):
        header_id = EmailDetail.objects.get(message=to_jane).header_id
    payload = payloads.inbound(sender="someone.else@example.org", in_reply_to=header_id)
    assert post_hook(HOOK, payload, login_of(row)).status_code == 200
    (reply,) = _inbound(clinic_a)
    assert reply.conversation_id == to_jane.conversation_id


def test_a_new_email_from_a_patient_finds_them_by_address(
    clinic_a: ClinicWorld, postmark_fake: FakePostmark
) -> None:
    row = connect(clinic_a)
    patient = clinic_a.make_patient(email="Known.Patient@Example.com")
    payload = payloads.inbound(sender="known.patient@example.com", subject="Question")
    assert post_hook(HOOK, payload, login_of(row)).status_code == 200
    (message,) = _inbound(clinic_a)
    assert message.patient_id == patient.pk
    assert message.conversation.channel == "email"
    with clinic_scope(clinic_a.clinic.pk):
        assert Patient.objects.count() == 1


def test_an_unknown_sender_becomes_a_lead_with_an_email_enquiry(
    clinic_a: ClinicWorld, postmark_fake: FakePostmark
) -> None:
    row = connect(clinic_a)
    payload = payloads.inbound(
        sender="new.person@example.net",
        name="Priya Shah",
        subject="Invisalign prices?",
        text="Hello, how much is Invisalign?",
        stripped="",
    )
    assert post_hook(HOOK, payload, login_of(row)).status_code == 200
    (message,) = _inbound(clinic_a)
    with clinic_scope(clinic_a.clinic.pk):
        patient = Patient.objects.get(pk=message.patient_id)
        enquiry = Enquiry.objects.get(patient=patient)
    assert (patient.first_name, patient.last_name, patient.email, patient.stage) == (
        "Priya",
        "Shah",
        "new.person@example.net",
        "lead",
    )
    assert enquiry.channel == "email"
    assert enquiry.message == "Invisalign prices?\n\nHello, how much is Invisalign?"
    assert message.body == "Hello, how much is Invisalign?"


def test_a_replay_is_stored_once(clinic_a: ClinicWorld, postmark_fake: FakePostmark) -> None:
    row = connect(clinic_a)
    payload = payloads.inbound(sender="twice@example.net")
    assert post_hook(HOOK, payload, login_of(row)).status_code == 200
    assert post_hook(HOOK, payload, login_of(row)).status_code == 200
    assert len(_inbound(clinic_a)) == 1
    with clinic_scope(clinic_a.clinic.pk):
        assert Patient.objects.count() == 1
        assert Enquiry.objects.count() == 1


def test_wrong_or_missing_credentials_get_401_and_store_nothing(
    clinic_a: ClinicWorld, postmark_fake: FakePostmark
) -> None:
    row = connect(clinic_a)
    user, password = login_of(row)
    payload = payloads.inbound(sender="intruder@example.net")
    for login in (None, (user, password + "x"), ("pm-unknown", password), (user, "")):
        response = post_hook(HOOK, payload, login)
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Basic ")
    assert _inbound(clinic_a) == []
    with clinic_scope(clinic_a.clinic.pk):
        assert Patient.objects.count() == 0


def test_another_clinics_login_cannot_reach_this_clinics_conversations(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld, postmark_fake: FakePostmark
) -> None:
    connect(clinic_a)
    b_row = connect(clinic_b)
    _, to_jane = _email_patient(clinic_a, "jane3@example.com")
    with clinic_scope(clinic_a.clinic.pk):
        token = to_jane.conversation.reply_address.token
        header_id = EmailDetail.objects.get(message=to_jane).header_id
    payload = payloads.inbound(
        sender="jane3@example.com", mailbox_hash=token, in_reply_to=header_id
    )
    assert post_hook(HOOK, payload, login_of(b_row)).status_code == 200
    assert _inbound(clinic_a) == []
    # It is clinic B's mail: a new lead there, with nothing of clinic A's.
    (in_b,) = _inbound(clinic_b)
    assert in_b.conversation_id != to_jane.conversation_id
    with clinic_scope(clinic_a.clinic.pk):
        assert Message.objects.count() == 1


def test_bad_json_is_refused(clinic_a: ClinicWorld, postmark_fake: FakePostmark) -> None:
    row = connect(clinic_a)
    response = post_hook(HOOK, {"RecordType": "Delivery", "MessageID": "x"}, login_of(row))
    assert response.status_code == 400
    assert _inbound(clinic_a) == []
