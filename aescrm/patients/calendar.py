"""Reads for the staff web app's calendar, enquiries list and dashboard.

Like ``selectors``, every read that shows patient data is audited here, and
everything runs through the tenant-scoped managers, so another clinic's rows
are never reachable.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from aescrm.accounts.caller import Caller
from aescrm.accounts.permissions import Perm
from aescrm.audit.services import audit_record
from aescrm.core.problems import NotFound, ValidationFailed
from aescrm.patients import selectors
from aescrm.patients.models import (
    HOLDS_TIME,
    Appointment,
    Enquiry,
    EnquiryStatus,
    Practitioner,
    Treatment,
)


def _uuid(value: Any, label: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise NotFound(f"no such {label}") from exc


def practitioners_for(caller: Caller) -> list[Practitioner]:
    """Active practitioners the caller may see in the calendar (a clinician: only themselves)."""
    caller.require(Perm.APPOINTMENT_VIEW)
    practitioners = Practitioner.objects.filter(active=True)
    if caller.sees_only_own_patients:
        practitioners = practitioners.filter(user_id=caller.user_id or uuid.UUID(int=0))
    return list(practitioners.order_by("display_name"))


def practitioner_get(*, caller: Caller, practitioner_id: Any) -> Practitioner:
    pid = _uuid(practitioner_id, "practitioner")
    for practitioner in practitioners_for(caller):
        if practitioner.pk == pid:
            return practitioner
    raise NotFound("no such practitioner", field="practitioner")


def treatments_active() -> list[Treatment]:
    return list(Treatment.objects.filter(active=True).order_by("name"))


def appointment_get(*, caller: Caller, appointment_id: Any) -> Appointment:
    """The appointment, if the caller may see it; NotFound otherwise (also for other clinics)."""
    caller.require(Perm.APPOINTMENT_VIEW)
    aid = _uuid(appointment_id, "appointment")
    appointments = Appointment.objects.select_related("patient", "practitioner", "treatment")
    if caller.sees_only_own_patients:
        appointments = appointments.filter(practitioner__user_id=caller.user_id or uuid.UUID(int=0))
    appointment = appointments.filter(pk=aid).first()
    if appointment is None:
        raise NotFound("no such appointment")
    return appointment


def calendar_appointments(
    *,
    caller: Caller,
    start: dt.datetime,
    end: dt.datetime,
    practitioner: Practitioner | None = None,
) -> list[Appointment]:
    """Appointments overlapping [start, end), oldest first; showing them is audited."""
    if end <= start or end - start > dt.timedelta(days=8):
        raise ValidationFailed("the calendar shows at most a week at a time", field="date")
    rows = list(
        selectors.appointments_between(
            caller=caller, start=start, end=end, practitioner=practitioner
        )
    )
    audit_record(
        "appointment.list",
        object_type="appointment",
        detail={
            "from": start.isoformat(),
            "to": end.isoformat(),
            "shown": [str(a.pk) for a in rows],
        },
    )
    return rows


@dataclass
class EnquiryPage:
    enquiries: list[Enquiry]
    next_before: str | None


def enquiry_page(*, caller: Caller, before: str | None = None, limit: int = 50) -> EnquiryPage:
    """Newest first; ``before`` is the id of the last enquiry of the previous page."""
    caller.require(Perm.ENQUIRY_VIEW)
    enquiries = Enquiry.objects.select_related("patient", "treatment").order_by(
        "-created_at", "-id"
    )
    if before:
        last = Enquiry.objects.filter(pk=_uuid(before, "enquiry")).first()
        if last is None:
            raise ValidationFailed("that page of enquiries no longer exists", field="before")
        enquiries = enquiries.filter(created_at__lte=last.created_at).exclude(
            created_at=last.created_at, id__gte=last.pk
        )
    rows = list(enquiries[: limit + 1])
    page = rows[:limit]
    audit_record("enquiry.list", object_type="enquiry", detail={"shown": [str(e.pk) for e in page]})
    return EnquiryPage(page, str(page[-1].pk) if len(rows) > limit else None)


@dataclass
class DashboardCounts:
    appointments_today: int | None
    new_enquiries: int | None


def dashboard_counts(
    *, caller: Caller, day_start: dt.datetime, day_end: dt.datetime
) -> DashboardCounts:
    """Counts only (no patient data) for whichever the caller's role may see.

    ``day_start``/``day_end`` bound the clinic's local day (23 or 25 hours when the clocks change).
    """
    appointments_today = None
    if caller.can(Perm.APPOINTMENT_VIEW):
        appointments_today = (
            selectors.appointments_between(caller=caller, start=day_start, end=day_end)
            .filter(starts_at__gte=day_start, status__in=HOLDS_TIME)
            .count()
        )
    new_enquiries = None
    if caller.can(Perm.ENQUIRY_VIEW):
        new_enquiries = Enquiry.objects.filter(status=EnquiryStatus.NEW).count()
    return DashboardCounts(appointments_today, new_enquiries)
