"""Helpers for the export tests: a patient with data on every channel, built through the
real services, and reading a downloaded zip."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from aescrm.assistant.tests.support import Visit
from aescrm.attribution.touch import TouchInput
from aescrm.core.tenancy import clinic_scope
from aescrm.messaging import services as messaging
from aescrm.patients import services
from aescrm.patients.models import Patient
from aescrm.testing.fixtures import ClinicWorld


@dataclass
class Person:
    patient: Patient
    first_name: str
    last_name: str
    email: str
    phone: str
    # Words that appear only in this person's data.
    markers: dict[str, str]


def populate(
    world: ClinicWorld, *, first: str, last: str, phone: str, tag: str, day: int = 1
) -> Person:
    """A patient with an enquiry (with an ad click), an appointment, an SMS each way, an
    email and a website chat; every text carries ``tag`` so it can be found in the zip."""
    email = f"{first.lower()}.{last.lower()}@example.com"
    patient = world.make_patient(
        first_name=first,
        last_name=last,
        email=email,
        phone=phone,
        consent={"sms": True, "email": True},
    )
    markers = {
        "enquiry": f"{tag} enquiry: would like whitening before a wedding",
        "sms_out": f"{tag} reminder: your appointment is on Tuesday",
        "sms_in": f"{tag} reply: thanks, see you then",
        "email": f"{tag} email: your aftercare instructions",
        "email_subject": f"{tag} aftercare",
        "note": f"{tag} note: prefers morning appointments",
        "gclid": f"{tag}-GCLID-123",
        "cancellation": f"{tag} cancelled: clashes with work",
    }
    caller = world.caller()
    with clinic_scope(world.clinic.pk):
        services.enquiry_create(
            caller=caller,
            patient=patient,
            channel="web_form",
            message=markers["enquiry"],
            treatment=world.treatment,
            first_touch=TouchInput(
                values={
                    "gclid": markers["gclid"],
                    "utm_source": "google",
                    "utm_medium": "cpc",
                    "utm_campaign": "whitening",
                    "landing_page": "https://alpha.example/whitening",
                },
                occurred_at=timezone.now() - dt.timedelta(days=1),
                marketing_consent=True,
            ),
        )
        assert world.treatment is not None and world.practitioner is not None
        tomorrow = (timezone.now() + dt.timedelta(days=day)).astimezone(world.clinic.tz)
        kept = services.appointment_book(
            caller=caller,
            patient=patient,
            treatment=world.treatment,
            practitioner=world.practitioner,
            starts_at=tomorrow.replace(hour=10, minute=0, second=0, microsecond=0),
        )
        cancelled = services.appointment_book(
            caller=caller,
            patient=patient,
            treatment=world.treatment,
            practitioner=world.practitioner,
            starts_at=tomorrow.replace(hour=15, minute=0, second=0, microsecond=0),
        )
        services.appointment_update(
            caller=caller,
            appointment=cancelled,
            status="cancelled",
            cancellation_reason=markers["cancellation"],
        )
        services.note_add(caller=caller, patient=patient, body=markers["note"])
        messaging.message_queue(
            caller=caller, patient=patient, body=markers["sms_out"], kind="service"
        )
        messaging.record_inbound(
            patient=patient,
            body=markers["sms_in"],
            from_address=patient.phone,
            to_address="+447700900000",
            provider="twilio",
            provider_id=f"SM-{tag}",
        )
        messaging.message_queue(
            caller=caller,
            patient=patient,
            body=markers["email"],
            kind="service",
            channel="email",
            subject=markers["email_subject"],
        )
    assert kept.pk
    # A website chat, through the public chat endpoint: the visitor gives the same
    # name and phone, so the chat lands on this patient's record.
    visit = Visit(world.clinic)
    visit.say("Can someone call me back?")
    visit.say(f"{first} {last}")
    visit.say(phone)
    markers["chat_name"] = f"{first} {last}"
    return Person(patient, first, last, email, phone, markers)


def unzip(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name).decode("utf-8-sig") for name in archive.namelist()}


def exported_json(files: dict[str, str]) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(files["export.json"])
    return document
