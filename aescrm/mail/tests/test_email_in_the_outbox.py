"""Console mode (make run): an email is recorded as sent, shown on the Outbox with its
subject, and a reply can be played into the same conversation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aescrm.core.tenancy import clinic_scope
from aescrm.mail.models import EmailDetail
from aescrm.messaging import services, worker
from aescrm.messaging.models import Message
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client, text

NOON = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)


def _console_email(world: ClinicWorld, settings: Any) -> Message:
    settings.MESSAGING_MODE = "console"
    patient = world.make_patient(first_name="Olwen", email="olwen@example.com")
    with clinic_scope(world.clinic.pk):
        message = services.message_queue(
            caller=world.caller(),
            patient=patient,
            body="Your check-up is due",
            kind="service",
            channel="email",
            subject="Check-up reminder",
            now=NOON,
        )
        worker.process_clinic(now=NOON)
        return Message.objects.get(pk=message.pk)


def test_a_console_email_shows_as_sent_and_a_reply_threads(
    clinic_a: ClinicWorld, settings: Any
) -> None:
    message = _console_email(clinic_a, settings)
    assert (message.status, message.provider) == ("sent", "console")
    client = member_client(clinic_a, "receptionist")
    page = text(client.get("/outbox/"))
    assert "Check-up reminder" in page
    assert "Your check-up is due" in page
    response = client.post(f"/outbox/{message.pk}/reply", {"body": "Can we make it Monday?"})
    assert response.status_code == 302
    with clinic_scope(clinic_a.clinic.pk):
        reply = Message.objects.get(direction="inbound")
        subject = EmailDetail.objects.get(message=reply).subject
        # Answering it: the subject follows the patient's "Re:" and the headers thread.
        answer = services.message_queue(
            caller=clinic_a.caller(),
            patient=message.patient,
            body="Monday works.",
            kind="service",
            channel="email",
        )
        answer_detail = EmailDetail.objects.get(message=answer)
        reply_detail = EmailDetail.objects.get(message=reply)
    assert (reply.channel, reply.conversation_id, reply.body) == (
        "email",
        message.conversation_id,
        "Can we make it Monday?",
    )
    assert subject == "Re: Check-up reminder"
    assert answer_detail.subject == "Re: Check-up reminder"
    assert answer_detail.in_reply_to == reply_detail.header_id
    assert reply_detail.header_id in answer_detail.references.split()


def test_marketers_see_neither_subject_nor_body(clinic_a: ClinicWorld, settings: Any) -> None:
    _console_email(clinic_a, settings)
    page = text(member_client(clinic_a, "marketer").get("/outbox/"))
    assert "Olwen" in page
    assert "Check-up reminder" not in page
    assert "Your check-up is due" not in page
