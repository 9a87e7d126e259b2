"""A cancelled clinic sends nothing: no text reaches Twilio and no email Postmark, messages
already queued stay queued with the reason, new ones are refused, automations do not act (the
run log says why), the website still takes enquiries but sends no auto-reply, and the chat
gives a fixed answer. Another clinic, still active, keeps sending."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from aescrm.assistant.models import ChatSession
from aescrm.automation import engine
from aescrm.automation.models import Outcome, RunLog
from aescrm.automation.tests.conftest import book, london
from aescrm.billing.tests.support import subscribe
from aescrm.core.tenancy import clinic_scope
from aescrm.mail.tests.conftest import connect as connect_mail
from aescrm.messaging import services, worker
from aescrm.messaging.models import Message, Status
from aescrm.messaging.policy import MessageRefused
from aescrm.messaging.tests.conftest import NUMBER_B, connect
from aescrm.patients.models import Enquiry
from aescrm.public.tests.support import SITE, WORDING, enquiry, post_json
from aescrm.testing.fakes.postmark import FakePostmark
from aescrm.testing.fakes.twilio import FakeTwilio
from aescrm.testing.fixtures import ClinicWorld

NOON = dt.time(12, 0)
HELD = "account read-only: canceled: nothing is sent until the subscription is restored"


def _queue(world: ClinicWorld, *, channel: str = "sms", **contact: str) -> Message:
    patient = world.make_patient(**contact)
    with clinic_scope(world.clinic.pk):
        return services.message_queue(
            caller=world.caller(),
            patient=patient,
            body="Your results are ready",
            kind="service",
            channel=channel,
        )


def _get(world: ClinicWorld, message: Message) -> Message:
    with clinic_scope(world.clinic.pk):
        return Message.objects.get(pk=message.pk)


def test_queued_texts_and_emails_stay_queued_with_the_reason_and_nothing_is_sent(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio, postmark_fake: FakePostmark, clock: Any
) -> None:
    connect(clinic_a, quiet_start=NOON, quiet_end=NOON)
    connect_mail(clinic_a)
    text = _queue(clinic_a, phone="07700 900201")
    email = _queue(clinic_a, channel="email", email="ada@example.org")
    subscribe(clinic_a, "canceled")

    assert worker.process_all() == 0

    assert twilio_fake.taken() == []
    assert postmark_fake.messages == []
    for message in (text, email):
        held = _get(clinic_a, message)
        assert held.status == Status.QUEUED
        assert held.error_code == "read_only"
        assert held.error_reason == f"{HELD} (held, not sent)"


def test_a_new_message_is_refused_with_the_reason(clinic_a: ClinicWorld) -> None:
    patient = clinic_a.make_patient(phone="07700 900202")
    subscribe(clinic_a, "canceled")

    with clinic_scope(clinic_a.clinic.pk), pytest.raises(MessageRefused) as refused:
        services.message_queue(
            caller=clinic_a.caller(), patient=patient, body="Hello", kind="service"
        )

    assert refused.value.reason == "read_only"
    assert refused.value.detail == HELD
    with clinic_scope(clinic_a.clinic.pk):
        assert not Message.objects.exists()


def test_the_api_refuses_sending_and_bulk_pages_are_refused(clinic_a: ClinicWorld) -> None:
    from aescrm.web.tests.support import member_client

    patient = clinic_a.make_patient(phone="07700 900203")
    subscribe(clinic_a, "canceled")

    sent = clinic_a.api().post(
        "/api/v1/messages", {"patient": str(patient.pk), "body": "Hello", "kind": "service"}
    )
    bulk = member_client(clinic_a, "manager").post("/inbox/bulk/confirm", {})

    assert sent.status_code == 403
    assert sent.json()["type"].endswith("/account-read-only")
    assert bulk.status_code == 403
    with clinic_scope(clinic_a.clinic.pk):
        assert not Message.objects.exists()


def test_another_clinic_keeps_sending(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld, twilio_fake: FakeTwilio, clock: Any
) -> None:
    connect(clinic_a, quiet_start=NOON, quiet_end=NOON)
    connect(clinic_b, number=NUMBER_B, quiet_start=NOON, quiet_end=NOON)
    held = _queue(clinic_a, phone="07700 900204")
    sent = _queue(clinic_b, phone="07700 900205")
    subscribe(clinic_a, "canceled")
    subscribe(clinic_b, "active")

    assert worker.process_all() == 1

    assert [m["to"] for m in twilio_fake.taken()] == ["+447700900205"]
    assert _get(clinic_a, held).status == Status.QUEUED
    assert _get(clinic_b, sent).status == Status.SENT


def test_automations_do_not_act_and_the_log_says_why(
    recipe_clinic: ClinicWorld,
    twilio_fake: FakeTwilio,
    clock: Any,
) -> None:
    world = recipe_clinic
    connect(world, quiet_start=NOON, quiet_end=NOON)
    ada = world.make_patient(first_name="Ada", phone="07700 900206")
    clock.move_to(london(2026, 6, 3, 9))
    book(world, ada, london(2026, 6, 8, 10))  # the 48-hour reminder is due Saturday 10:00
    subscribe(world, "canceled")

    clock.move_to(london(2026, 6, 6, 10, 5))
    with clinic_scope(world.clinic.pk):
        engine.process_all()
        engine.process_all()  # a minute later: still waiting, said once
        lines = list(RunLog.objects.filter(reason="read_only"))

    assert twilio_fake.taken() == []
    assert [(line.outcome, str(line.detail)) for line in lines] == [
        (Outcome.HELD, f"{HELD}: this step waits")
    ]


def test_the_website_takes_the_enquiry_but_sends_no_auto_reply(
    recipe_clinic: ClinicWorld,
    twilio_fake: FakeTwilio,
    clock: Any,
) -> None:
    world = recipe_clinic
    connect(world, quiet_start=NOON, quiet_end=NOON)
    subscribe(world, "canceled")

    response = post_json(
        world.clinic, enquiry(consent={"sms": True, "email": True}, consent_wording=WORDING)
    )
    engine.process_all()
    worker.process_all()

    assert response.status_code == 201, response.content
    with clinic_scope(world.clinic.pk):
        assert Enquiry.objects.count() == 1
        skipped = RunLog.objects.filter(reason="read_only", outcome=Outcome.SKIPPED)
        # The thank-you and the nurture sequence: neither starts, nor goes later.
        assert [str(line.detail) for line in skipped] == [f"{HELD}: this rule did not act"] * 2
        assert not Message.objects.filter(direction="outbound").exists()
    assert twilio_fake.taken() == []


def test_the_chat_answers_with_how_to_reach_the_clinic(clinic_a: ClinicWorld) -> None:
    subscribe(clinic_a, "canceled")

    response = Client().post(
        f"/public/v1/{clinic_a.clinic.public_key}/chat",
        json.dumps({"message": "How much is whitening?"}),
        content_type="application/json",
        HTTP_ORIGIN=SITE,
    )

    assert response.status_code == 200
    assert response.json()["reply"] == (
        "Sorry, this chat is not answering at the moment. To contact Alpha Dental, "
        "please use the enquiry form on this website."
    )
    with clinic_scope(clinic_a.clinic.pk):
        assert not ChatSession.objects.exists()
