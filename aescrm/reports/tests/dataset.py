"""A varied clinic history built through the real services, for the report tests.

Enquiries with first and last touches of several sources, campaigns and
keywords (and some with none), bookings, attendances with values, no-shows,
responses to enquiries, and ad spend; some events moved out of the range so
the range is tested too.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from aescrm.attribution.models import ConversionEvent
from aescrm.attribution.touch import parse_touch
from aescrm.core.tenancy import clinic_scope
from aescrm.patients import services
from aescrm.patients.models import Enquiry
from aescrm.reports.models import SpendFormat
from aescrm.reports.services import ad_spend_import
from aescrm.reports.spend_csv import SpendRow
from aescrm.testing.fixtures import ClinicWorld

TOUCHES: list[dict[str, str] | None] = [
    {
        "utm_source": "google",
        "utm_medium": "cpc",
        "utm_campaign": "implants-nov",
        "utm_term": "dental implants",
    },
    {
        "utm_source": "google",
        "utm_medium": "cpc",
        "utm_campaign": "implants-nov",
        "utm_term": "implant cost uk",
    },
    {"utm_source": "google", "utm_medium": "cpc", "utm_campaign": "invisalign"},
    {"utm_source": "google", "utm_medium": "organic"},
    {"utm_source": "facebook", "utm_medium": "paid_social", "utm_campaign": "botox-winter"},
    {"utm_source": "newsletter", "utm_medium": "email", "utm_campaign": "nov-news"},
    {"gclid": "Cj0KCQiA-test-click"},  # an auto-tagged click with no UTM values: google / cpc
    None,  # no touch at all: "(direct)" / "(none)"
]


@dataclass
class Dataset:
    start: dt.date
    end: dt.date


def build(world: ClinicWorld, *, seed: int = 7, enquiries: int = 36) -> Dataset:
    rng = random.Random(seed)
    caller = world.caller()
    today = dt.datetime.now(world.clinic.tz).date()
    start, end = today - dt.timedelta(days=20), today
    slot = dt.datetime.combine(today + dt.timedelta(days=2), dt.time(8), tzinfo=world.clinic.tz)
    for i in range(enquiries):
        patient = world.make_patient(first_name=f"Lead{i}", email=f"lead{i}@example.com")
        first = rng.choice(TOUCHES)
        last = rng.choice(TOUCHES) if rng.random() < 0.5 else first
        with clinic_scope(world.clinic.pk):
            enquiry = services.enquiry_create(
                caller=caller,
                patient=patient,
                channel="web_form",
                first_touch=parse_touch(first, prefix="first_touch"),
                last_touch=parse_touch(last, prefix="last_touch"),
            )
            if rng.random() < 0.7:
                enquiry.status = "contacted"
                enquiry.save()
            if rng.random() < 0.6:
                assert world.treatment is not None and world.practitioner is not None
                appointment = services.appointment_book(
                    caller=caller,
                    patient=patient,
                    treatment=world.treatment,
                    practitioner=world.practitioner,
                    starts_at=slot,
                    value_pence=rng.choice([5000, 7500, 12000, 0]),
                )
                slot += dt.timedelta(minutes=30)
                outcome = rng.random()
                if outcome < 0.55:
                    services.appointment_update(
                        caller=caller,
                        appointment=appointment,
                        status="attended",
                        value_pence=rng.choice([None, 25000, 9900]),
                    )
                elif outcome < 0.75:
                    services.appointment_update(
                        caller=caller, appointment=appointment, status="no_show"
                    )
    with clinic_scope(world.clinic.pk):
        _spread_in_time(world, rng, start, end)
        _spend(world, rng, start, end)
    return Dataset(start=start, end=end)


def _local(world: ClinicWorld, day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=world.clinic.tz).astimezone(dt.UTC)


def _spread_in_time(world: ClinicWorld, rng: random.Random, start: dt.date, end: dt.date) -> None:
    """Move the history back over the weeks before today (some of it before the range)."""
    for enquiry in Enquiry.objects.all():
        day = start + dt.timedelta(days=rng.randint(-5, (end - start).days))
        created = _local(world, day, rng.choice([0, 9, 13, 23]))
        fields: dict[str, Any] = {"created_at": created}
        if enquiry.first_response_at is not None:
            fields["first_response_at"] = created + dt.timedelta(minutes=rng.randint(1, 600))
        Enquiry.objects.filter(pk=enquiry.pk).update(**fields)
        ConversionEvent.objects.filter(enquiry=enquiry).update(occurred_at=created)
        later = created + dt.timedelta(days=rng.randint(0, 3), hours=1)
        ConversionEvent.objects.filter(patient_id=enquiry.patient_id, enquiry=None).update(
            occurred_at=later
        )


def _spend(world: ClinicWorld, rng: random.Random, start: dt.date, end: dt.date) -> None:
    rows = []
    for offset in range(-3, (end - start).days + 3):
        day = start + dt.timedelta(days=offset)
        for source, medium, campaign in (
            ("google", "cpc", "implants-nov"),
            ("google", "cpc", "invisalign"),
            ("google", "cpc", "brand"),  # spend with no leads
            ("facebook", "paid_social", "botox-winter"),
        ):
            if rng.random() < 0.8:
                rows.append(
                    SpendRow(
                        date=day,
                        source=source,
                        medium=medium,
                        campaign=campaign,
                        spend_pence=rng.randint(0, 9000),
                    )
                )
    ad_spend_import(caller=world.caller(), rows=rows, source_format=SpendFormat.PLAIN)
