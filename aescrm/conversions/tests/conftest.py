"""Fake Google and Meta servers over real HTTP, and a clinic journey from click to payment."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from aescrm.attribution.touch import TouchInput
from aescrm.conversions import google_ads, services
from aescrm.core.tenancy import clinic_scope
from aescrm.patients import services as patient_services
from aescrm.patients.models import Appointment, Enquiry, Patient
from aescrm.testing.fakes import google_ads as fake_google
from aescrm.testing.fakes import meta as fake_meta
from aescrm.testing.fakes.google_ads import FakeGoogleAds
from aescrm.testing.fakes.meta import FakeMeta
from aescrm.testing.fixtures import ClinicWorld

CUSTOMER_ID = "1234567890"
# Each journey's appointment in its own earlier slot, so bookings never clash,
# all within the last week (attendance is dated by the appointment, and Meta
# takes events up to seven days old).
_SLOTS = itertools.count()
ATTENDED_ACTION_ID = "987654321"
ATTENDED_NAME = "Attended treatment"


@pytest.fixture
def google_fake(settings: Any) -> Iterator[FakeGoogleAds]:
    fake = FakeGoogleAds()
    fake.start()
    settings.GOOGLE_ADS_API_BASE = fake.api_base
    settings.GOOGLE_OAUTH_TOKEN_URL = fake.token_url
    google_ads.clear_token_cache()
    yield fake
    fake.stop()
    google_ads.clear_token_cache()


@pytest.fixture
def meta_fake(settings: Any) -> Iterator[FakeMeta]:
    fake = FakeMeta()
    fake.start()
    settings.META_GRAPH_API_BASE = fake.api_base
    yield fake
    fake.stop()


def configure(
    world: ClinicWorld,
    *,
    google: bool = True,
    meta: bool = True,
    actions: dict[str, tuple[str, str]] | None = None,
    meta_kinds: tuple[str, ...] = ("lead", "booked", "attended"),
    **extra: Any,
) -> Any:
    """Connect the clinic to the fakes; by default only attendance is a Google action."""
    data = services.SettingsInput(
        google_enabled=google,
        google_customer_id="123-456-7890",
        google_developer_token=fake_google.DEVELOPER_TOKEN,
        google_client_id=fake_google.CLIENT_ID,
        google_client_secret=fake_google.CLIENT_SECRET,
        google_refresh_token=fake_google.REFRESH_TOKEN,
        google_actions=actions
        if actions is not None
        else {"attended": (ATTENDED_ACTION_ID, ATTENDED_NAME)},
        meta_enabled=meta,
        meta_pixel_id=fake_meta.PIXEL_ID,
        meta_access_token=fake_meta.ACCESS_TOKEN,
        meta_kinds=meta_kinds,
    )
    for key, value in extra.items():
        setattr(data, key, value)
    with clinic_scope(world.clinic.pk):
        return services.settings_update(caller=world.caller(), data=data)


@dataclass
class Journey:
    patient: Patient
    enquiry: Enquiry
    appointment: Appointment


def touch(**values: Any) -> TouchInput:
    consent = values.pop("marketing_consent", True)
    at = values.pop("occurred_at", timezone.now() - dt.timedelta(hours=2))
    return TouchInput(values=values, occurred_at=at, marketing_consent=consent)


def journey(
    world: ClinicWorld,
    capture: Any,
    *,
    first: TouchInput | None = None,
    last: TouchInput | None = None,
    value_pence: int = 250000,
    attend: bool = True,
    **patient_fields: Any,
) -> Journey:
    """A lead (enquiry with touches), booked, then attended: every commit hook runs."""
    fields = {
        "first_name": "John",
        "last_name": "Doe",
        "email": " John.Doe@Example.COM ",
        "phone": "07700 900123",
        "consent": {"email": True, "sms": True},
        **patient_fields,
    }
    caller = world.caller()
    with clinic_scope(world.clinic.pk):
        with capture(execute=True):
            patient = patient_services.patient_create(
                caller=caller,
                data=patient_services.PatientInput(**fields),
                consent_wording="Yes, tell me about offers",
            )
        with capture(execute=True):
            enquiry = patient_services.enquiry_create(
                caller=caller,
                patient=patient,
                channel="web_form",
                first_touch=first,
                last_touch=last,
            )
        assert world.treatment is not None and world.practitioner is not None
        slot = next(_SLOTS)
        start = timezone.now().astimezone(world.clinic.tz).replace(
            hour=8 + slot // 5 % 11, minute=0, second=0, microsecond=0
        ) - dt.timedelta(days=1 + slot % 5)
        with capture(execute=True):
            appointment = patient_services.appointment_book(
                caller=caller,
                patient=patient,
                treatment=world.treatment,
                practitioner=world.practitioner,
                starts_at=start,
                value_pence=value_pence,
                # A visit in the last few days, entered after the fact.
                override=True,
                override_reason="Entering a past visit",
            )
        if attend:
            with capture(execute=True):
                patient_services.appointment_update(
                    caller=caller, appointment=appointment, status="attended"
                )
    return Journey(patient=patient, enquiry=enquiry, appointment=appointment)
