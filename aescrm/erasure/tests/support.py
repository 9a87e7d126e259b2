"""A patient with something on every channel, for the erasure tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from aescrm.attribution.touch import TouchInput
from aescrm.core.tenancy import clinic_scope
from aescrm.inbox.tests.support import inbound
from aescrm.messaging import services as messaging
from aescrm.patients import services
from aescrm.patients.models import Appointment, AppointmentStatus, Patient
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import add_enquiry, add_note, book, member_client

EMAIL = "gwen.morgan@example.org"
PHONE = "+447700900777"


@dataclass
class Person:
    patient: Patient
    paid: Appointment  # attended and charged for: kept, minimised
    upcoming: Appointment  # erased


def full_patient(
    world: ClinicWorld,
    first: str = "Gwen",
    email: str = EMAIL,
    phone: str = PHONE,
    hour: int = 10,
) -> Person:
    """A patient with a note, consent history, an enquiry with touches, two appointments
    (one attended and paid, with a cancellation-reason-free history), an SMS each way and
    an email."""
    patient = world.make_patient(
        first_name=first,
        last_name="Morgan",
        email=email,
        phone=phone,
        consent={"sms": True, "email": True},
        notes="Allergic to latex",
    )
    add_note(world, patient, "Prefers mornings")
    add_enquiry(
        world,
        patient,
        "Interested in whitening",
        channel="web_form",
        first_touch=TouchInput(
            {"gclid": "Cj0-first", "utm_source": "google", "utm_campaign": "whitening"}
        ),
    )
    paid = book(world, patient, dt.datetime(2026, 3, 2, hour, 0))
    upcoming = book(world, patient, dt.datetime(2027, 3, 2, hour, 0))
    with clinic_scope(world.clinic.pk):
        services.appointment_update(
            caller=world.caller(),
            appointment=paid,
            status=AppointmentStatus.ATTENDED,
            value_pence=25000,
        )
        messaging.message_queue(
            caller=world.caller(), patient=patient, body="See you soon", kind="service"
        )
        messaging.message_queue(
            caller=world.caller(),
            patient=patient,
            body="Your whitening aftercare",
            kind="service",
            channel="email",
        )
    inbound(world, patient, "Thanks, see you then")
    return Person(patient=patient, paid=paid, upcoming=upcoming)


def manager(world: ClinicWorld) -> Any:
    return member_client(world, "manager")
