"""POST /webhooks/postmark/events: delivery, bounce, spam complaint and open update the
message; a hard bounce or a complaint suppresses the address; replays change nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from aescrm.core.tenancy import clinic_scope
from aescrm.mail import postmark
from aescrm.mail.models import Suppression
from aescrm.mail.tests import payloads
from aescrm.mail.tests.conftest import connect, login_of, post_hook
from aescrm.messaging import services, worker
from aescrm.messaging.models import Message, Status
from aescrm.patients.models import ConsentEvent, Patient
from aescrm.testing.fakes.postmark import FakePostmark
from aescrm.testing.fixtures import ClinicWorld

NOON = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
HOOK = "/webhooks/postmark/events"


def _sent(world: ClinicWorld, email: str, kind: str = "service") -> Message:
    patient = world.make_patient(email=email, consent={"email": True})
    with clinic_scope(world.clinic.pk):
        message = services.message_queue(
            caller=world.caller(),
            patient=patient,
            body="Hello",
            kind=kind,
            channel="email",
            now=NOON,
        )
        worker.process_clinic(now=NOON)
        return Message.objects.get(pk=message.pk)


def _get(world: ClinicWorld, message: Message) -> Message:
    with clinic_scope(world.clinic.pk):
        return Message.objects.get(pk=message.pk)


def test_delivery_marks_the_message_delivered(
    clinic_a: ClinicWorld, postmark_fake: FakePostmark
) -> None:
    row = connect(clinic_a)
    message = _sent(clinic_a, "d@example.com")
    payload = payloads.delivery(message_id=message.provider_id, recipient="d@example.com")
    assert post_hook(HOOK, payload, login_of(row)).status_code == 200
    message = _get(clinic_a, message)
    assert message.status == Status.DELIVERED
    assert message.delivered_at == dt.datetime(2026, 11, 27, 12, 1, 54, 907025, tzinfo=dt.UTC)
    opened = payloads.opened(message_id=message.provider_id, recipient="d@example.com")
    assert post_hook(HOOK, opened, login_of(row)).status_code == 200
    assert _get(clinic_a, message).status == Status.READ
    # A late delivery event does not move it back.
    assert post_hook(HOOK, payload, login_of(row)).status_code == 200
    assert _get(clinic_a, message).status == Status.READ


def test_a_hard_bounce_suppresses_the_address(
    clinic_a: ClinicWorld, postmark_fake: FakePostmark
) -> None:
    row = connect(clinic_a)
    message = _sent(clinic_a, "Bounced@Example.com")
    payload = payloads.bounce(message_id=message.provider_id, email="bounced@example.com")
    assert post_hook(HOOK, payload, login_of(row)).status_code == 200
    message = _get(clinic_a, message)
    assert (message.status, message.error_code) == (Status.UNDELIVERED, "HardBounce")
    assert "unable to deliver" in message.error_reason
    with clinic_scope(clinic_a.clinic.pk):
        suppression = Suppression.objects.get()
        assert (suppression.reason, suppression.email, suppression.message_id) == (
            "hard_bounce",
            "bounced@example.com",
            message.pk,
        )
    # The policy now refuses email to that address, with the reason.
    response = clinic_a.api().post(
        "/api/v1/messages",
        {"patient": str(message.patient_id), "channel": "email", "body": "Hello again"},
    )
    assert response.status_code == 422
    assert response.json()["reason"] == "suppressed"
    assert "hard bounce" in response.json()["detail"]
    # A replay changes nothing.
    assert post_hook(HOOK, payload, login_of(row)).status_code == 200
    with clinic_scope(clinic_a.clinic.pk):
        assert Suppression.objects.count() == 1


def test_a_queued_email_to_an_address_that_bounced_meanwhile_is_not_sent(
    clinic_a: ClinicWorld, postmark_fake: FakePostmark
) -> None:
    row = connect(clinic_a)
    first = _sent(clinic_a, "later@example.com")
    with clinic_scope(clinic_a.clinic.pk):
        second = services.message_queue(
            caller=clinic_a.caller(),
            patient=first.patient,
            body="Second",
            kind="service",
            channel="email",
            now=NOON,
        )
    bounce = payloads.bounce(message_id=first.provider_id, email="later@example.com")
    post_hook(HOOK, bounce, login_of(row))
    with clinic_scope(clinic_a.clinic.pk):
        worker.process_clinic(now=NOON + dt.timedelta(minutes=1))
    second = _get(clinic_a, second)
    assert (second.status, second.error_code) == (Status.FAILED, "suppressed")
    assert len(postmark_fake.messages) == 1


def test_a_soft_bounce_suppresses_nothing(
    clinic_a: ClinicWorld, postmark_fake: FakePostmark
) -> None:
    row = connect(clinic_a)
    message = _sent(clinic_a, "full@example.com")
    payload = payloads.bounce(
        message_id=message.provider_id, email="full@example.com", kind="SoftBounce"
    )
    assert post_hook(HOOK, payload, login_of(row)).status_code == 200
    assert _get(clinic_a, message).status == Status.SENT
    with clinic_scope(clinic_a.clinic.pk):
        assert not Suppression.objects.exists()


def test_a_spam_complaint_suppresses_and_withdraws_marketing_consent(
    clinic_a: ClinicWorld, postmark_fake: FakePostmark
) -> None:
    row = connect(clinic_a)
    message = _sent(clinic_a, "angry@example.com", kind="marketing")
    payload = payloads.spam_complaint(message_id=message.provider_id, email="angry@example.com")
    assert post_hook(HOOK, payload, login_of(row)).status_code == 200
    assert post_hook(HOOK, payload, login_of(row)).status_code == 200
    with clinic_scope(clinic_a.clinic.pk):
        assert Suppression.objects.get().reason == "spam_complaint"
        patient = Patient.objects.get(pk=message.patient_id)
        assert patient.consent_email is False
        (withdrawn,) = ConsentEvent.objects.filter(patient=patient, granted=False)
    assert (withdrawn.channel, withdrawn.source) == ("email", "email complaint")


@pytest.mark.usefixtures("midday")
def test_an_event_reconciles_a_message_the_worker_did_not_record(
    clinic_a: ClinicWorld, postmark_fake: FakePostmark
) -> None:
    """The worker died after Postmark took the email; the delivery event records it."""
    from aescrm.mail import provider

    row = connect(clinic_a)
    patient = clinic_a.make_patient(email="lost@example.com")
    with clinic_scope(clinic_a.clinic.pk):
        message = services.message_queue(
            caller=clinic_a.caller(), patient=patient, body="Hi", kind="service", channel="email"
        )
        (claimed,) = worker.claim(dt.datetime.now(dt.UTC))
        worker._begin(claimed, dt.datetime.now(dt.UTC))
        sent = postmark.send(row, provider.outgoing(claimed, row))
    payload = payloads.delivery(
        message_id=sent.sid,
        recipient="lost@example.com",
        metadata=postmark_fake.messages[0]["Metadata"],
    )
    assert post_hook(HOOK, payload, login_of(row)).status_code == 200
    message = _get(clinic_a, message)
    assert (message.status, message.provider_id) == (Status.DELIVERED, sent.sid)
    assert message.next_attempt_at is None


def test_another_clinics_login_changes_nothing_here(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld, postmark_fake: FakePostmark
) -> None:
    connect(clinic_a)
    b_row = connect(clinic_b)
    message = _sent(clinic_a, "mine@example.com")
    for payload in (
        payloads.bounce(message_id=message.provider_id, email="mine@example.com"),
        payloads.delivery(
            message_id=message.provider_id,
            recipient="mine@example.com",
            metadata={postmark.META_MESSAGE: str(message.pk), postmark.META_ATTEMPT: "x"},
        ),
    ):
        assert post_hook(HOOK, payload, login_of(b_row)).status_code == 200
    assert _get(clinic_a, message).status == Status.SENT
    with clinic_scope(clinic_a.clinic.pk):
        assert not Suppression.objects.exists()
    assert (
        post_hook(
            HOOK, payloads.delivery(message_id="x", recipient="y@example.com"), None
        ).status_code
        == 401
    )
