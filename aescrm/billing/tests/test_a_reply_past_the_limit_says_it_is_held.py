"""Staff replying from the inbox once the SMS limit is reached are told at once that the
reply is held, and why; it waits in the thread with the reason, and Twilio gets nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine

from aescrm.billing.models import Metric
from aescrm.billing.tests.usage_support import NOON, run_worker, subscribe, use
from aescrm.core.tenancy import clinic_scope
from aescrm.inbox.tests.conftest import no_quiet_hours
from aescrm.messaging.services import conversation_for
from aescrm.testing.fakes.twilio import FakeTwilio
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client, text

REASON = (
    "Monthly SMS limit of 4,000 segments reached on 12 December 2026; it resets on "
    "1 January 2027, or upgrade your plan (or allow overage) to carry on now."
)


@pytest.fixture(autouse=True)
def _at_noon() -> Iterator[None]:
    with time_machine.travel(NOON, tick=True):
        yield


def test_the_receptionist_is_told_the_reply_is_held_and_why(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio
) -> None:
    subscribe(clinic_a)
    no_quiet_hours(clinic_a)
    use(clinic_a, Metric.SMS_SEGMENTS, 4000)
    patient = clinic_a.make_patient(first_name="Ffion", phone="07700 900430")
    with clinic_scope(clinic_a.clinic.pk):
        conversation = conversation_for(patient, "sms")
    client = member_client(clinic_a, "receptionist")
    response = client.post(
        f"/inbox/{conversation.pk}/reply",
        {"channel": "sms", "body": "See you at 10:00", "action": "send"},
        follow=True,
    )
    page = text(response)
    assert f"Reply queued by SMS. It is held: {REASON}" in page
    assert "Held for quiet hours" not in page
    run_worker(clinic_a)
    assert twilio_fake.requests == []
