"""`make bench`'s messaging benchmark writes rows in bulk and signs webhook requests itself:
keep both in step with the schema and the webhook (bench/messaging.py), on both engines."""

from __future__ import annotations

from typing import Any

from django.db.models import Max
from django.test import Client

from aescrm.core.tenancy import clinic_scope
from aescrm.messaging import worker
from aescrm.messaging.models import Conversation, Direction, Message, Status
from aescrm.messaging.tests.conftest import PUBLIC
from aescrm.testing.fakes.twilio import FakeTwilio
from aescrm.testing.fixtures import ClinicWorld

PHONES = ["07700 900901", "07700 900902", "07700 900903"]


def test_stored_texts_read_back_through_the_model(clinic_a: ClinicWorld) -> None:
    from bench import messaging

    for phone in PHONES:
        clinic_a.make_patient(phone=phone)
    clinic = clinic_a.clinic.pk
    with clinic_scope(clinic):
        messaging.connect_clinic(clinic)
        data = messaging.store_messages(clinic, 60)
        messaging.check_stored_encrypted(clinic)
        stored = list(Message.objects.select_related("patient").order_by("created_at"))
        latest = Conversation.objects.aggregate(latest=Max("last_message_at"))["latest"]

    assert (data["messages"], data["conversations"], len(stored)) == (60, 3, 60)
    assert latest == stored[-1].created_at
    assert stored[0].created_at < stored[-1].created_at  # spread over the past year
    for message in stored:
        phone = str(message.patient.phone)
        if message.direction == Direction.OUTBOUND:
            assert (str(message.to_address), message.status) == (phone, Status.DELIVERED)
            first = str(message.patient.first_name)
            assert str(message.body) in [t.format(first=first) for t in messaging.TO_PATIENT]
        else:
            assert (str(message.from_address), message.status) == (phone, Status.READ)
            assert str(message.body) in messaging.FROM_PATIENT
        assert message.provider_id.startswith("SM") and len(message.provider_id) == 34


def test_queued_texts_are_sent_once_by_the_sender(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    from bench import messaging

    for phone in PHONES:
        clinic_a.make_patient(phone=phone)
    clinic = clinic_a.clinic.pk
    with clinic_scope(clinic):
        messaging.connect_clinic(clinic)
        ids = messaging.queue_for_sender(clinic, 3)
        assert worker.process_clinic() == 3
        sent = list(Message.objects.filter(pk__in=ids).values_list("status", "provider_id"))
    assert [status for status, _ in sent] == [Status.SENT] * 3
    assert {sid for _, sid in sent} == {m["sid"] for m in twilio_fake.taken()}
    assert sorted(m["to"] for m in twilio_fake.taken()) == [
        "+447700900901",
        "+447700900902",
        "+447700900903",
    ]


def test_pre_signed_requests_are_taken_by_the_webhook(
    clinic_a: ClinicWorld, settings: Any, tmp_path: Any
) -> None:
    """A line of the file wrk replays, posted as wrk posts it: signed, stored, once."""
    from bench import messaging

    settings.PUBLIC_BASE_URL = PUBLIC
    patient = clinic_a.make_patient(phone=PHONES[0])
    with clinic_scope(clinic_a.clinic.pk):
        messaging.connect_clinic(clinic_a.clinic.pk)
    file = tmp_path / "signed.txt"
    messaging.write_signed_requests(
        file, url=PUBLIC + messaging.INBOUND_PATH, phones=["+447700900901"], count=2, tag="m"
    )
    lines = file.read_text().splitlines()
    assert len(lines) == 2
    for line in lines:
        signature, body = line.split("\t")
        response = Client().post(
            messaging.INBOUND_PATH,
            body,
            content_type="application/x-www-form-urlencoded",
            HTTP_X_TWILIO_SIGNATURE=signature,
        )
        assert response.status_code == 200
    with clinic_scope(clinic_a.clinic.pk):
        inbound = Message.objects.filter(direction=Direction.INBOUND, patient=patient)
        assert inbound.count() == 2
    assert messaging.count_stored(clinic_a.clinic.pk, "m") == 2
