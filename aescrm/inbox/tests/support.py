"""Helpers for the inbox tests: patients with conversations, inbound texts, signed-in clients."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from aescrm.core.tenancy import clinic_scope
from aescrm.messaging import services as messaging
from aescrm.messaging.models import Conversation, Message
from aescrm.patients.models import Patient
from aescrm.testing.fixtures import ClinicWorld

NUMBER = "+447700900000"
# Midday in London, outside quiet hours.
NOON = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)


def texting_patient(world: ClinicWorld, **fields: Any) -> Patient:
    data = {"first_name": "Olwen", "last_name": "Pryce", "phone": "07700 900123", **fields}
    return world.make_patient(**data)


def inbound(world: ClinicWorld, patient: Patient, body: str) -> Message:
    """An SMS from the patient, stored as the Twilio webhook stores it."""
    with clinic_scope(world.clinic.pk):
        message = messaging.record_inbound(
            patient=patient,
            body=body,
            from_address=str(patient.phone),
            to_address=NUMBER,
            provider="twilio",
            provider_id=f"SM{uuid.uuid4().hex}",
        )
    assert message is not None
    return message


def conversation_of(world: ClinicWorld, patient: Patient, channel: str = "sms") -> Conversation:
    with clinic_scope(world.clinic.pk):
        return Conversation.objects.get(patient=patient, channel=channel)


def fresh(world: ClinicWorld, obj: Any) -> Any:
    with clinic_scope(world.clinic.pk):
        obj.refresh_from_db()
    return obj
