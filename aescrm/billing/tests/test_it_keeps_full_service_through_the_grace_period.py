"""Payment overdue: everything works and sends during the 14-day grace period; once it is
over the account is read-only (pages refuse changes, nothing is sent), without any new event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from aescrm.billing.tests.support import overdue_for
from aescrm.core.tenancy import clinic_scope
from aescrm.messaging import services, worker
from aescrm.messaging.models import Message, Status
from aescrm.messaging.tests.conftest import connect
from aescrm.patients.models import Patient
from aescrm.testing.fakes.twilio import FakeTwilio
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client

NOON = dt.time(12, 0)
NEW_PATIENT = {"first_name": "Zebedee", "last_name": "Quixotic", "email": "zeb@example.org"}


def _queue(world: ClinicWorld, phone: str) -> Message:
    patient = world.make_patient(phone=phone)
    with clinic_scope(world.clinic.pk):
        return services.message_queue(
            caller=world.caller(), patient=patient, body="See you soon", kind="service"
        )


def test_within_the_grace_period_everything_works_and_sends(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio, clock: Any
) -> None:
    connect(clinic_a, quiet_start=NOON, quiet_end=NOON)
    overdue_for(clinic_a, days=13)

    created = member_client(clinic_a, "receptionist").post("/patients/new", NEW_PATIENT)
    message = _queue(clinic_a, "07700 900301")
    worker.process_all()

    assert created.status_code == 302
    assert [m["to"] for m in twilio_fake.taken()] == ["+447700900301"]
    with clinic_scope(clinic_a.clinic.pk):
        assert Message.objects.get(pk=message.pk).status == Status.SENT


def test_past_the_grace_period_the_account_is_read_only(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio, clock: Any
) -> None:
    connect(clinic_a, quiet_start=NOON, quiet_end=NOON)
    overdue_for(clinic_a, days=13)
    message = _queue(clinic_a, "07700 900302")

    clock.move_to(timezone.now() + dt.timedelta(days=1, minutes=1))  # day 14 has passed
    refused = member_client(clinic_a, "receptionist").post("/patients/new", NEW_PATIENT)
    worker.process_all()

    assert refused.status_code == 403
    assert "the grace period ended on" in refused.content.decode()
    assert twilio_fake.taken() == []
    with clinic_scope(clinic_a.clinic.pk):
        held = Message.objects.get(pk=message.pk)
        assert (held.status, held.error_code) == (Status.QUEUED, "read_only")
        assert held.error_reason.startswith("account read-only: past_due")
        assert Patient.objects.count() == 1
