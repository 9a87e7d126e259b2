"""`aescrm send_messages`: sends what is due and says how many it handled; bad options fail."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from aescrm.core.tenancy import clinic_scope
from aescrm.messaging import services
from aescrm.messaging.models import Message, Status
from aescrm.messaging.tests.senders import connect_all_day
from aescrm.testing.fakes.twilio import FakeTwilio
from aescrm.testing.fixtures import ClinicWorld


def test_once_sends_every_due_message(clinic_a: ClinicWorld, twilio_fake: FakeTwilio) -> None:
    connect_all_day(clinic_a)
    patient = clinic_a.make_patient(phone="07700 900600")
    with clinic_scope(clinic_a.clinic.pk):
        for n in range(3):
            services.message_queue(
                caller=clinic_a.caller(), patient=patient, body=f"Text {n}", kind="service"
            )
    out = io.StringIO()
    call_command("send_messages", "--once", stdout=out)
    assert out.getvalue().strip() == "handled 3 due messages"
    assert sorted(m["body"] for m in twilio_fake.taken()) == ["Text 0", "Text 1", "Text 2"]
    with clinic_scope(clinic_a.clinic.pk):
        assert set(Message.objects.values_list("status", flat=True)) == {Status.SENT}


def test_a_silly_interval_is_refused(db: None) -> None:
    with pytest.raises(CommandError, match="--interval must be between"):
        call_command("send_messages", "--loop", "--interval", "0")
