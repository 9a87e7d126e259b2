"""A restricted patient receives nothing, not even a reminder, until the restriction is
lifted: through the built-in reminder recipes, the automation and sending workers and the
fake Twilio server, as the periodic tasks run them."""

from __future__ import annotations

from typing import Any

from aescrm.automation.models import Outcome, Run
from aescrm.automation.recipes import REMINDER_48
from aescrm.automation.tests.conftest import book, london, tick
from aescrm.core.tenancy import clinic_scope
from aescrm.messaging import services as messaging
from aescrm.messaging.models import Message, Status
from aescrm.messaging.policy import MessageRefused
from aescrm.messaging.tests.senders import connect_all_day
from aescrm.patients import rights
from aescrm.patients.models import DecisionKind, RightsDecision
from aescrm.testing.fakes.twilio import FakeTwilio
from aescrm.testing.fixtures import ClinicWorld

PHONE = "+447700900811"


def test_no_reminder_or_any_text_goes_while_restricted_and_they_flow_again_after_lifting(
    recipe_clinic: ClinicWorld,
    twilio_fake: FakeTwilio,
    clock: Any,
) -> None:
    world = recipe_clinic
    connect_all_day(world)
    clock.move_to(london(2026, 6, 1, 9))
    ann = world.make_patient(first_name="Ann", phone=PHONE, consent={"sms": True})
    first = book(world, ann, london(2026, 6, 10, 10))

    # Given a restriction recorded before the reminders fall due, with a queued text too.
    with clinic_scope(world.clinic.pk):
        queued = messaging.message_queue(
            caller=world.caller(), patient=ann, body="See you soon", kind="service"
        )
        queued.next_attempt_at = london(2026, 6, 2, 9)
        queued.save(update_fields=["next_attempt_at"])
        rights.restrict(caller=world.caller(), patient=ann, reason="Disputes accuracy of record")

    # When every worker runs across the 48-hour and 2-hour reminder moments...
    for moment in (london(2026, 6, 2, 9, 30), london(2026, 6, 8, 10, 1), london(2026, 6, 10, 8, 1)):
        tick(world, clock, moment)

    # ...then nothing reached Twilio, and the log says why.
    assert twilio_fake.sent_to(PHONE) == []
    with clinic_scope(world.clinic.pk):
        queued.refresh_from_db()
        assert (queued.status, queued.error_code) == (Status.FAILED, "restricted")
        run = Run.objects.get(patient=ann, appointment=first, rule__recipe=REMINDER_48)
        assert run.log.filter(outcome=Outcome.NOT_SENT, reason="restricted").exists()
        # Staff sending by hand is refused with the reason as well.
        try:
            messaging.message_queue(caller=world.caller(), patient=ann, body="Hi", kind="service")
        except MessageRefused as exc:
            assert exc.reason == "restricted"
        else:
            raise AssertionError("a message to a restricted patient was queued")

    # When the restriction is lifted and a new appointment is booked...
    clock.move_to(london(2026, 6, 11, 9))
    with clinic_scope(world.clinic.pk):
        rights.lift_restriction(caller=world.caller(), patient=ann, reason="Record corrected")
        kinds = list(RightsDecision.objects.filter(patient=ann).values_list("kind", flat=True))
    assert kinds == [DecisionKind.RESTRICT, DecisionKind.LIFT_RESTRICTION]
    book(world, ann, london(2026, 6, 20, 10))
    tick(world, clock, london(2026, 6, 18, 10, 1))

    # ...then its reminder reaches the patient.
    sent = twilio_fake.sent_to(PHONE)
    assert len(sent) == 1
    assert "a reminder of your appointment" in sent[0]["body"]
    with clinic_scope(world.clinic.pk):
        assert Message.objects.filter(patient=ann, status=Status.SENT).count() == 1
