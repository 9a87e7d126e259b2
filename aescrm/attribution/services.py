"""Recording touches and conversion events. Called inside the caller's transaction."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from aescrm.attribution.channels import classify
from aescrm.attribution.models import (
    CLICK_ID_FIELDS,
    URL_FIELDS,
    UTM_FIELDS,
    ConversionEvent,
    ConversionKind,
    Touch,
    TouchPosition,
)
from aescrm.attribution.signals import conversion_recorded
from aescrm.attribution.touch import TouchInput
from aescrm.patients.models import Appointment, Enquiry, Patient


def _clinic_hosts(patient: Patient) -> tuple[str, ...]:
    domains = getattr(patient.clinic, "website_domains", None) or []
    return tuple(str(d) for d in domains)


def touches_record(
    *,
    patient: Patient,
    enquiry: Enquiry | None,
    first: TouchInput | None,
    last: TouchInput | None,
) -> list[Touch]:
    """Keep an enquiry's first and last touch (the last alone when only one came)."""
    hosts = _clinic_hosts(patient)
    # A visit cannot come after the enquiry it sent: a touch without a time, or
    # one a fast clock put ahead, is kept at the enquiry's time. Later than the
    # lead event, it would not be credited for its own enquiry (decision 0010).
    latest = enquiry.created_at if enquiry is not None else timezone.now()
    touches = []
    # One touch given stands for both: a single visit is first and last.
    pairs = [(TouchPosition.FIRST, first or last), (TouchPosition.LAST, last or first)]
    for position, data in pairs:
        if data is None:
            continue
        click_ids = data.click_ids
        touch = Touch(
            patient=patient,
            enquiry=enquiry,
            position=position,
            channel=classify(
                click_ids=click_ids,
                utm_source=data.get("utm_source"),
                utm_medium=data.get("utm_medium"),
                referrer=data.get("referrer"),
                own_hosts=hosts,
            ),
            occurred_at=min(data.occurred_at or latest, latest),
            marketing_consent=data.marketing_consent,
            has_google_click=bool(click_ids & {"gclid", "gbraid", "wbraid"}),
            has_meta_click=bool(click_ids & {"fbclid", "fbc", "fbp"}),
        )
        for name in (*CLICK_ID_FIELDS, *URL_FIELDS):
            setattr(touch, name, data.get(name) or None)
        for name in UTM_FIELDS:
            setattr(touch, name, data.get(name))
        touches.append(touch)
    for touch in touches:
        touch.save(force_insert=True)
    return touches


def patient_touches(patient: Patient) -> tuple[Touch | None, Touch | None]:
    """The patient's first and last touch across all their enquiries."""
    # One query: a patient has a touch pair per web enquiry, a handful at most.
    touches = list(Touch.objects.filter(patient=patient).order_by("occurred_at", "created_at"))
    return (touches[0], touches[-1]) if touches else (None, None)


def touch_out(touch: Touch | None) -> dict[str, Any] | None:
    """A touch as the API shows it: the widget's keys plus channel and time."""
    if touch is None:
        return None
    out: dict[str, Any] = {name: getattr(touch, name) or None for name in CLICK_ID_FIELDS}
    out.update({name: getattr(touch, name) or None for name in UTM_FIELDS})
    out.update({name: getattr(touch, name) or None for name in URL_FIELDS})
    out["channel"] = touch.channel
    out["occurred_at"] = touch.occurred_at
    out["marketing_consent"] = touch.marketing_consent
    return out


def _credited(patient_id: uuid.UUID, at: dt.datetime) -> tuple[Touch | None, Touch | None]:
    # One query: a patient has a touch pair per web enquiry, a handful at most.
    touches = list(
        Touch.objects.filter(patient_id=patient_id).order_by("occurred_at", "created_at")
    )
    if not touches:
        return None, None
    before = [t for t in touches if t.occurred_at <= at]
    return touches[0], (before[-1] if before else touches[0])


def _recorded(
    kind: str, enquiry: Enquiry | None, appointment: Appointment | None
) -> ConversionEvent | None:
    """The event already recorded for this step of this appointment or enquiry, if any."""
    if appointment is not None:
        return ConversionEvent.objects.filter(appointment=appointment, kind=kind).first()
    if enquiry is not None:
        return ConversionEvent.objects.filter(enquiry=enquiry, kind=kind).first()
    return None


def conversion_record(
    *,
    kind: str,
    patient: Patient,
    occurred_at: dt.datetime | None = None,
    value_pence: int = 0,
    enquiry: Enquiry | None = None,
    appointment: Appointment | None = None,
) -> ConversionEvent:
    """Record one conversion; the same enquiry or appointment step again returns the first."""
    # An enquiry's lead is recorded once, as the enquiry is made (the unique
    # constraint backs that up); an appointment's steps can be asked for again.
    if appointment is not None:
        existing = _recorded(kind, None, appointment)
        if existing is not None:
            return existing
    at = occurred_at or timezone.now()
    first, last = _credited(patient.pk, at)
    try:
        with transaction.atomic():
            event = ConversionEvent.objects.create(
                patient=patient,
                kind=kind,
                enquiry=enquiry,
                appointment=appointment,
                value_pence=value_pence,
                occurred_at=at,
                first_touch=first,
                last_touch=last,
            )
    except IntegrityError:
        # Another transaction recorded the same step a moment ago (two staff
        # marking one appointment attended): its event stands, and the
        # caller's change goes on rather than failing.
        existing = _recorded(kind, enquiry, appointment)
        if existing is None:
            raise
        return existing
    conversion_recorded.send(
        sender=ConversionEvent, event=event, event_id=event.pk, clinic_id=patient.clinic_id
    )
    return event


def appointment_conversions(appointment: Appointment, *, previous_status: str | None) -> None:
    """Booked when an appointment is made; attended (and its revenue) when marked attended."""
    if previous_status is None:
        conversion_record(
            kind=ConversionKind.BOOKED,
            patient=appointment.patient,
            occurred_at=appointment.created_at,
            value_pence=appointment.value_pence,
            appointment=appointment,
        )
    elif appointment.status == "attended" and previous_status != "attended":
        # It happened at the appointment (often marked the next morning), never
        # in the future (a patient checked in before the start time).
        when = min(appointment.starts_at, timezone.now())
        conversion_record(
            kind=ConversionKind.ATTENDED,
            patient=appointment.patient,
            occurred_at=when,
            value_pence=appointment.value_pence,
            appointment=appointment,
        )
        if appointment.value_pence:
            conversion_record(
                kind=ConversionKind.REVENUE,
                patient=appointment.patient,
                occurred_at=when,
                value_pence=appointment.value_pence,
                appointment=appointment,
            )
