"""A reply goes through the outbox to Twilio as a service message; a refusal is shown against
the form with its reason, and what was typed stays in the box."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.utils import timezone

from aescrm.core.tenancy import clinic_scope
from aescrm.inbox.tests.conftest import no_quiet_hours
from aescrm.inbox.tests.support import conversation_of, inbound, texting_patient
from aescrm.messaging import worker
from aescrm.messaging.models import Direction, Message
from aescrm.messaging.tests.conftest import connect
from aescrm.patients import services as patients
from aescrm.testing.fakes.twilio import FakeTwilio
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db


def _box(page: str) -> str:
    match = re.search(r'<textarea name="body"[^>]*id="reply_body">\n?(.*?)</textarea>', page, re.S)
    assert match, "no reply box"
    return html.unescape(match.group(1))


def test_a_reply_is_queued_as_a_service_sms_and_sent(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    no_quiet_hours(clinic_a)
    patient = texting_patient(clinic_a)  # no marketing consent: a reply still goes
    inbound(clinic_a, patient, "Can I come at 4?")
    conversation = conversation_of(clinic_a, patient)
    client = member_client(clinic_a, "receptionist")

    response = client.post(
        f"/inbox/{conversation.pk}/reply",
        {"channel": "sms", "body": "Yes, 4pm is free. See you then!", "action": "send"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/inbox/{conversation.pk}/#reply"
    with clinic_scope(clinic_a.clinic.pk):
        reply = Message.objects.get(direction=Direction.OUTBOUND)
        worker.process_clinic()
    assert (reply.kind, reply.channel, reply.conversation_id) == ("service", "sms", conversation.pk)
    assert reply.sent_by_id == clinic_a.users["receptionist"].pk
    assert [m["body"] for m in twilio_fake.sent_to("+447700900123")] == [
        "Yes, 4pm is free. See you then!"
    ]
    page = text(client.get(f"/inbox/{conversation.pk}/"))
    assert "Reply queued by SMS." in page
    assert "Yes, 4pm is free. See you then!" in page


def test_a_refusal_names_the_reason_and_keeps_the_text(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    no_quiet_hours(clinic_a)
    patient = texting_patient(clinic_a)
    inbound(clinic_a, patient, "Please call me")
    conversation = conversation_of(clinic_a, patient)
    with clinic_scope(clinic_a.clinic.pk):
        patients.patient_update(
            caller=clinic_a.caller(), patient=patient, data=patients.PatientInput(restricted=True)
        )
    typed = "We tried to call — when suits you?\nThanks, Mair"

    response = member_client(clinic_a, "receptionist").post(
        f"/inbox/{conversation.pk}/reply", {"channel": "sms", "body": typed, "action": "send"}
    )

    page = text(response)
    assert response.status_code == 422
    assert "There is a problem" in page
    assert "This patient&#x27;s record is restricted: no messages are sent" in page
    assert _box(page).replace("\r\n", "\n") == typed
    with clinic_scope(clinic_a.clinic.pk):
        assert not Message.objects.filter(direction=Direction.OUTBOUND).exists()
    assert twilio_fake.messages == []


def test_an_empty_reply_is_refused_with_a_clear_error(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    no_quiet_hours(clinic_a)
    patient = texting_patient(clinic_a)
    inbound(clinic_a, patient, "Hi")
    conversation = conversation_of(clinic_a, patient)

    response = member_client(clinic_a, "receptionist").post(
        f"/inbox/{conversation.pk}/reply", {"channel": "sms", "body": "   ", "action": "send"}
    )

    assert response.status_code == 422
    assert "A message needs some text" in text(response)


def test_a_reply_in_quiet_hours_says_when_it_will_go(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    # Quiet hours from two minutes ago until two minutes from now, whenever the test runs.
    local = timezone.localtime(timezone.now(), clinic_a.clinic.tz)
    opens = (local + dt.timedelta(minutes=2)).time().replace(second=0, microsecond=0)
    starts = (local - dt.timedelta(minutes=2)).time().replace(second=0, microsecond=0)
    connect(clinic_a, quiet_start=starts, quiet_end=opens)
    patient = texting_patient(clinic_a)
    inbound(clinic_a, patient, "Hi")
    conversation = conversation_of(clinic_a, patient)
    client = member_client(clinic_a, "receptionist")

    client.post(
        f"/inbox/{conversation.pk}/reply", {"channel": "sms", "body": "Hello", "action": "send"}
    )

    page = text(client.get(f"/inbox/{conversation.pk}/"))
    assert f"It is quiet hours: it will go at {opens:%H:%M}" in page
    assert "Held for quiet hours until" in page
