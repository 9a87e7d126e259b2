from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from aescrm.accounts.models import Clinic
from aescrm.accounts.permissions import Perm
from aescrm.api.common import ERRORS, caller_of, get_in_clinic
from aescrm.api.schemas import AppointmentDetailOut, AppointmentIn, AppointmentOut, AppointmentPatch
from aescrm.automation.schedule import scheduled_messages
from aescrm.core.problems import NotFound, ValidationFailed
from aescrm.core.tenancy import current_clinic_id
from aescrm.patients import selectors, services
from aescrm.patients.models import Appointment, Practitioner, Treatment

router = Router(tags=["appointments"])


def appointment_out(appointment: Appointment, tz: dt.tzinfo, tz_name: str) -> dict[str, object]:
    return {
        "id": appointment.pk,
        "patient": appointment.patient_id,
        "treatment": appointment.treatment_id,
        "practitioner": appointment.practitioner_id,
        "starts_at": appointment.starts_at.astimezone(dt.UTC),
        "ends_at": appointment.ends_at.astimezone(dt.UTC),
        "starts_at_local": appointment.starts_at.astimezone(tz).isoformat(),
        "ends_at_local": appointment.ends_at.astimezone(tz).isoformat(),
        "timezone": tz_name,
        "status": appointment.status,
        "value_pence": appointment.value_pence,
        "cancellation_reason": appointment.cancellation_reason or "",
    }


def _clinic() -> Clinic:
    return Clinic.objects.get(pk=current_clinic_id())


def _patient(request: HttpRequest, patient_id: uuid.UUID) -> object:
    try:
        return selectors.patient_get(caller=caller_of(request), patient_id=patient_id, audit=False)
    except NotFound as exc:
        raise ValidationFailed("no such patient in this clinic", field="patient") from exc


@router.post("/appointments", response={201: AppointmentOut, **ERRORS})
def book(request: HttpRequest, payload: AppointmentIn) -> Status[dict[str, object]]:
    caller = caller_of(request)
    caller.require(Perm.APPOINTMENT_EDIT)
    patient = _patient(request, payload.patient)
    treatment = get_in_clinic(
        Treatment.objects.all(), payload.treatment, label="treatment", field="treatment"
    )
    practitioner = get_in_clinic(
        Practitioner.objects.all(), payload.practitioner, label="practitioner", field="practitioner"
    )
    appointment = services.appointment_book(
        caller=caller,
        patient=patient,  # type: ignore[arg-type]
        treatment=treatment,
        practitioner=practitioner,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        value_pence=payload.value_pence,
        override=payload.override,
        override_reason=payload.override_reason,
    )
    clinic = _clinic()
    return Status(201, appointment_out(appointment, clinic.tz, clinic.timezone))


@router.get("/appointments", response={200: list[AppointmentOut], **ERRORS})
def list_appointments(
    request: HttpRequest,
    practitioner: uuid.UUID | None = None,
    patient: uuid.UUID | None = None,
    start: dt.datetime | None = Query(None, alias="from"),  # noqa: B008
    end: dt.datetime | None = Query(None, alias="to"),  # noqa: B008
) -> list[dict[str, object]]:
    caller = caller_of(request)
    clinic = _clinic()
    now = dt.datetime.now(dt.UTC)
    start = services.as_utc(start, field="from") if start else now - dt.timedelta(days=7)
    end = services.as_utc(end, field="to") if end else now + dt.timedelta(days=30)
    if end <= start:
        raise ValidationFailed("'to' must be after 'from'", field="to")
    if end - start > dt.timedelta(days=93):
        raise ValidationFailed("ask for at most 93 days at a time", field="to")
    practitioner_obj = (
        get_in_clinic(
            Practitioner.objects.all(), practitioner, label="practitioner", field="practitioner"
        )
        if practitioner
        else None
    )
    rows = selectors.appointments_between(
        caller=caller, start=start, end=end, practitioner=practitioner_obj
    )
    if patient:
        rows = rows.filter(patient_id=patient)
    return [appointment_out(a, clinic.tz, clinic.timezone) for a in rows]


def _appointment(request: HttpRequest, appointment_id: str) -> Appointment:
    caller = caller_of(request)
    caller.require(Perm.APPOINTMENT_VIEW)
    appointment = get_in_clinic(Appointment.objects.all(), appointment_id, label="appointment")
    if caller.sees_only_own_patients and not (
        caller.user_id
        and Practitioner.objects.filter(
            pk=appointment.practitioner_id, user_id=caller.user_id
        ).exists()
    ):
        raise NotFound("no such appointment")
    return appointment


@router.get("/appointments/{appointment_id}", response={200: AppointmentDetailOut, **ERRORS})
def get_appointment(request: HttpRequest, appointment_id: str) -> dict[str, object]:
    """The appointment and its scheduled messages (reminders, follow-ups: sent or to come)."""
    appointment = _appointment(request, appointment_id)
    clinic = _clinic()
    return {
        **appointment_out(appointment, clinic.tz, clinic.timezone),
        "scheduled_messages": scheduled_messages(appointment, clinic.tz, timezone.now()),
    }


@router.patch("/appointments/{appointment_id}", response={200: AppointmentOut, **ERRORS})
def update_appointment(
    request: HttpRequest, appointment_id: str, payload: AppointmentPatch
) -> dict[str, object]:
    caller = caller_of(request)
    appointment = _appointment(request, appointment_id)
    practitioner = (
        get_in_clinic(
            Practitioner.objects.all(),
            payload.practitioner,
            label="practitioner",
            field="practitioner",
        )
        if payload.practitioner
        else None
    )
    services.appointment_update(
        caller=caller,
        appointment=appointment,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        practitioner=practitioner,
        status=payload.status,
        cancellation_reason=payload.cancellation_reason,
        value_pence=payload.value_pence,
        override=payload.override,
        override_reason=payload.override_reason,
    )
    clinic = _clinic()
    return appointment_out(appointment, clinic.tz, clinic.timezone)
