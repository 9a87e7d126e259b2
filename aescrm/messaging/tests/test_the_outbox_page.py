"""The staff Outbox: console messages shown as sent; a reply can be simulated; clinics apart."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aescrm.core.tenancy import clinic_scope
from aescrm.messaging import services, worker
from aescrm.messaging.models import Message
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client, text

NOON = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)


def _console_message(world: ClinicWorld, settings: Any) -> Message:
    settings.MESSAGING_MODE = "console"
    patient = world.make_patient(first_name="Olwen", phone="07700 900800", consent={"sms": True})
    with clinic_scope(world.clinic.pk):
        message = services.message_queue(
            caller=world.caller(),
            patient=patient,
            body="Your check-up is due",
            kind="service",
            now=NOON,
        )
        worker.process_clinic(now=NOON)
        return Message.objects.get(pk=message.pk)


def test_console_messages_show_as_sent_and_a_reply_can_be_played(
    clinic_a: ClinicWorld, settings: Any
) -> None:
    message = _console_message(clinic_a, settings)
    client = member_client(clinic_a, "receptionist")
    page = text(client.get("/outbox/"))
    assert "Your check-up is due" in page
    assert "Sent" in page
    response = client.post(f"/outbox/{message.pk}/reply", {"body": "STOP"})
    assert response.status_code == 302
    with clinic_scope(clinic_a.clinic.pk):
        reply = Message.objects.get(direction="inbound")
        message.patient.refresh_from_db()
    assert (reply.body, reply.provider, reply.patient_id) == ("STOP", "console", message.patient_id)
    assert message.patient.consent_sms is False


def test_marketers_see_no_bodies(clinic_a: ClinicWorld, settings: Any) -> None:
    _console_message(clinic_a, settings)
    page = text(member_client(clinic_a, "marketer").get("/outbox/"))
    assert "Olwen" in page
    assert "Your check-up is due" not in page


def test_another_clinic_gets_404_and_changes_nothing(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld, settings: Any
) -> None:
    message = _console_message(clinic_a, settings)
    outsider = member_client(clinic_b, "receptionist")
    assert outsider.post(f"/outbox/{message.pk}/reply", {"body": "Hi"}).status_code == 404
    assert "Olwen" not in text(outsider.get("/outbox/"))
    with clinic_scope(clinic_a.clinic.pk):
        assert Message.objects.count() == 1
