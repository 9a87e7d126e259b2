"""Helpers for the staff web app's tests: signed-in clients and a little clinic data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from aescrm.accounts.permissions import TWO_FACTOR_REQUIRED, Role
from aescrm.core.tenancy import clinic_scope
from aescrm.patients import services
from aescrm.patients.models import Appointment, Patient
from aescrm.testing.fixtures import ClinicWorld

# A Wednesday in British Summer Time (clinic time = UTC + 1).
SUMMER_DAY = dt.date(2026, 7, 1)


def member_client(world: ClinicWorld, role: str) -> Client:
    """A client signed in as ``world``'s member with ``role``; owners and managers have
    passed two-factor authentication with a confirmed TOTP device."""
    user = world.users[role]
    if Role(role) in TWO_FACTOR_REQUIRED:
        return verified_client(user)
    client = Client()
    client.force_login(user)
    return client


def verified_client(user: Any) -> Client:
    """A client signed in as ``user`` who has passed two-factor authentication."""
    client = Client()
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="Test authenticator", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def book(
    world: ClinicWorld, patient: Patient, local_start: dt.datetime, **extra: Any
) -> Appointment:
    """Book ``patient`` with the world's practitioner at a clinic-local wall-clock time."""
    starts_at = local_start.replace(tzinfo=world.clinic.tz)
    if starts_at < timezone.now():
        # Diary history: the owner sets the no-past-bookings rule aside, as staff would.
        extra.setdefault("override", True)
        extra.setdefault("override_reason", "Entering a past visit")
    with clinic_scope(world.clinic.pk):
        assert world.treatment is not None and world.practitioner is not None
        return services.appointment_book(
            caller=world.caller(),
            patient=patient,
            treatment=world.treatment,
            practitioner=world.practitioner,
            starts_at=starts_at,
            **extra,
        )


def add_note(world: ClinicWorld, patient: Patient, body: str) -> None:
    with clinic_scope(world.clinic.pk):
        services.note_add(caller=world.caller(), patient=patient, body=body)


def add_enquiry(world: ClinicWorld, patient: Patient, message: str = "", **extra: Any) -> Any:
    with clinic_scope(world.clinic.pk):
        return services.enquiry_create(
            caller=world.caller(), patient=patient, message=message, **extra
        )


def text(response: Any) -> str:
    return response.content.decode()
