"""Reads of the privacy requests register, audited like every read of personal data."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.db.models.functions import Coalesce

from aescrm.accounts.caller import Caller
from aescrm.accounts.permissions import Perm
from aescrm.audit.services import audit_record
from aescrm.core.problems import NotFound, ValidationFailed
from aescrm.patients.models import Patient
from aescrm.privacy.models import CLOSED_STATUSES, OPEN_STATUSES, Kind, PrivacyRequest, Status

# Requests this close to their deadline are flagged and reminded daily.
WARN_WITHIN_DAYS = 7
LIST_MAX = 200


@dataclass(frozen=True)
class DueWarning:
    level: str  # "soon" (amber) or "overdue" (red)
    text: str


def due_warning(deadline: dt.date, today: dt.date) -> DueWarning | None:
    """ "Overdue by N days" past the deadline; "Due in N days" within a week of it."""
    days = (deadline - today).days
    if days < 0:
        n = -days
        return DueWarning("overdue", f"Overdue by {n} day{'s' if n != 1 else ''}")
    if days == 0:
        return DueWarning("soon", "Due today")
    if days <= WARN_WITHIN_DAYS:
        return DueWarning("soon", f"Due in {days} day{'s' if days != 1 else ''}")
    return None


def shows_personal_details(caller: Caller) -> bool:
    """Who the requester is (patient name, what they wrote, identity evidence) is patient data:
    shown only to those who may see patients. Auditors see the register without it."""
    return caller.can(Perm.PATIENT_VIEW)


def by_deadline(requests: QuerySet[PrivacyRequest]) -> QuerySet[PrivacyRequest]:
    return requests.annotate(deadline_on=Coalesce("extended_until", "due_on")).order_by(
        "deadline_on", "created_at", "id"
    )


def privacy_request_list(
    *,
    caller: Caller,
    status: str | None = None,
    kind: str | None = None,
    open_only: bool = False,
    closed_only: bool = False,
    limit: int = 100,
) -> list[PrivacyRequest]:
    """Requests soonest deadline first (extended ones by their extended date)."""
    caller.require(Perm.PRIVACY_VIEW)
    if not 1 <= limit <= LIST_MAX:
        raise ValidationFailed(f"limit must be between 1 and {LIST_MAX}", field="limit")
    rows = PrivacyRequest.objects.select_related("patient")
    if status:
        if status not in Status.values:
            raise ValidationFailed(
                f"status must be one of: {', '.join(Status.values)}", field="status"
            )
        rows = rows.filter(status=status)
    if open_only:
        rows = rows.filter(status__in=OPEN_STATUSES)
    if closed_only:
        rows = rows.filter(status__in=CLOSED_STATUSES)
    if kind:
        if kind not in Kind.values:
            raise ValidationFailed(f"kind must be one of: {', '.join(Kind.values)}", field="kind")
        rows = rows.filter(kind=kind)
    page = list(by_deadline(rows)[:limit])
    audit_record(
        "privacy.request.list",
        object_type="privacy_request",
        detail={"shown": [str(r.pk) for r in page]},
    )
    return page


def privacy_request_get(*, caller: Caller, request_id: Any, audit: bool = True) -> PrivacyRequest:
    """The request, or NotFound (also for another clinic's id)."""
    caller.require_any(Perm.PRIVACY_VIEW, Perm.PRIVACY_MANAGE)
    try:
        pk = uuid.UUID(str(request_id))
    except ValueError as exc:
        raise NotFound("no such privacy request") from exc
    request = PrivacyRequest.objects.select_related("patient").filter(pk=pk).first()
    if request is None:
        raise NotFound("no such privacy request")
    if audit:
        audit_record("privacy.request.read", object_type="privacy_request", object_id=request.pk)
    return request


def open_requests_for_patient(patient: Patient) -> list[PrivacyRequest]:
    """The patient's requests still to be answered, soonest deadline first.

    For other privacy features (erasure, export, restriction) to find the request
    they answer; not audited, as it shows nothing of the patient to anyone.
    """
    return list(
        by_deadline(PrivacyRequest.objects.filter(patient=patient, status__in=OPEN_STATUSES))
    )


def due_for_reminder(today: dt.date) -> list[PrivacyRequest]:
    """Open requests within a week of their deadline (or past it) not yet reminded today."""
    soon = today + dt.timedelta(days=WARN_WITHIN_DAYS)
    rows = (
        PrivacyRequest.objects.filter(status__in=OPEN_STATUSES)
        .annotate(deadline_on=Coalesce("extended_until", "due_on"))
        .filter(deadline_on__lte=soon)
        .order_by("deadline_on", "created_at", "id")
    )
    return [r for r in rows if r.last_reminded_on != today]
