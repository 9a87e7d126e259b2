"""JSON API: the privacy requests register (scopes privacy:read, privacy:write).

Who the requester is (patient name, requester_details, identity evidence) is
returned only to keys that may also read patients (patients:read).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field, StringConstraints

from aescrm.accounts.caller import Caller
from aescrm.accounts.permissions import Perm
from aescrm.api.common import ERRORS, caller_of
from aescrm.api.schemas import Clean, Strict
from aescrm.core.problems import NotFound, ValidationFailed
from aescrm.patients import selectors as patient_selectors
from aescrm.privacy import selectors, services
from aescrm.privacy.models import PrivacyRequest
from aescrm.privacy.services import clinic_today

router = Router(tags=["privacy"])

KindName = Literal["access", "rectification", "erasure", "restriction", "portability", "objection"]
StatusName = Literal[
    "open", "awaiting_identity", "in_progress", "completed", "refused", "withdrawn"
]
Text = Annotated[str, StringConstraints(max_length=5000)]


class PrivacyRequestIn(Strict):
    kind: KindName
    patient: uuid.UUID | None = Field(default=None, description="The patient the request is about")
    received_on: dt.date = Field(description="The day the clinic received it (clinic's date)")
    channel: Literal["email", "phone", "letter", "in_person", "web_form", "other"]
    requester_details: Annotated[str, StringConstraints(max_length=2000)] | None = Field(
        default=None,
        description="Who asked and how to reach them (required when no patient is given)",
    )
    notes: Text | None = None


class IdentityIn(Strict):
    result: Literal["evidence_requested", "verified", "failed"]
    evidence_note: Text | None = Field(
        default=None, description="The evidence asked for or seen (required unless requested)"
    )


class ExtendIn(Strict):
    months: int = Field(description="Further months beyond the original due date: 1 or 2")
    reason: Text
    person_told_on: dt.date | None = Field(
        default=None, description="The day the person was told of the extension and why"
    )


class CompleteIn(Strict):
    outcome: Text = Field(description="What was done")


class RefuseIn(Strict):
    reason: Text


class WithdrawIn(Strict):
    note: Text | None = None


class NoteIn(Strict):
    body: Text


class PrivacyRequestOut(Schema):
    id: uuid.UUID
    kind: str
    status: str
    patient: uuid.UUID | None
    patient_name: str | None
    received_on: dt.date
    channel: str
    requester_details: str | None
    identity_status: str
    evidence_note: str | None
    verified_at: dt.datetime | None
    due_on: dt.date
    extended_until: dt.date | None
    extension_months: int
    extension_reason: str | None
    person_told_on: dt.date | None
    deadline: dt.date
    days_left: int
    warning: str | None
    notes: str | None
    outcome: str | None
    completed_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime


def request_out(request: PrivacyRequest, caller: Caller, today: dt.date) -> dict[str, Any]:
    personal = selectors.shows_personal_details(caller)
    warning = selectors.due_warning(request.deadline, today) if request.is_open else None
    return {
        "id": request.pk,
        "kind": request.kind,
        "status": request.status,
        "patient": request.patient_id,
        "patient_name": (request.patient.full_name if personal and request.patient else None),
        "received_on": request.received_on,
        "channel": request.channel,
        "requester_details": request.requester_details if personal else None,
        "identity_status": request.identity_status,
        "evidence_note": request.evidence_note if personal else None,
        "verified_at": request.verified_at,
        "due_on": request.due_on,
        "extended_until": request.extended_until,
        "extension_months": request.extension_months,
        "extension_reason": request.extension_reason,
        "person_told_on": request.person_told_on,
        "deadline": request.deadline,
        "days_left": (request.deadline - today).days,
        "warning": warning.text if warning else None,
        "notes": request.notes,
        "outcome": request.outcome,
        "completed_at": request.completed_at,
        "created_at": request.created_at,
        "updated_at": request.updated_at,
    }


def _get(request: HttpRequest, request_id: str, *, manage: bool = False) -> PrivacyRequest:
    caller = caller_of(request)
    if manage:
        caller.require(Perm.PRIVACY_MANAGE)
    return selectors.privacy_request_get(caller=caller, request_id=request_id, audit=not manage)


def _out(request: HttpRequest, row: PrivacyRequest) -> dict[str, Any]:
    caller = caller_of(request)
    return request_out(row, caller, clinic_today(caller.clinic_id))


@router.post("/privacy/requests", response={201: PrivacyRequestOut, **ERRORS})
def create_request(request: HttpRequest, payload: PrivacyRequestIn) -> Status[dict[str, Any]]:
    """Log a request received from a patient (or someone not yet matched to one)."""
    caller = caller_of(request)
    caller.require(Perm.PRIVACY_MANAGE)
    patient = None
    if payload.patient is not None:
        try:
            patient = patient_selectors.patient_get(
                caller=caller, patient_id=payload.patient, audit=False
            )
        except NotFound as exc:
            raise ValidationFailed("no such patient in this clinic", field="patient") from exc
    row = services.privacy_request_create(
        caller=caller,
        kind=payload.kind,
        received_on=payload.received_on,
        channel=payload.channel,
        patient=patient,
        requester_details=payload.requester_details,
        notes=payload.notes,
    )
    return Status(201, _out(request, row))


class RequestFilter(Clean):
    status: StatusName | None = None
    kind: KindName | None = None
    open: bool = Field(default=False, description="Only requests still to be answered")
    limit: int = 100


@router.get("/privacy/requests", response={200: list[PrivacyRequestOut], **ERRORS})
def list_requests(request: HttpRequest, filters: Query[RequestFilter]) -> list[dict[str, Any]]:
    """Soonest deadline first; an extended request counts by its extended date."""
    caller = caller_of(request)
    rows = selectors.privacy_request_list(
        caller=caller,
        status=filters.status,
        kind=filters.kind,
        open_only=filters.open,
        limit=filters.limit,
    )
    today = clinic_today(caller.clinic_id)
    return [request_out(row, caller, today) for row in rows]


@router.get("/privacy/requests/{request_id}", response={200: PrivacyRequestOut, **ERRORS})
def get_request(request: HttpRequest, request_id: str) -> dict[str, Any]:
    return _out(request, _get(request, request_id))


@router.post(
    "/privacy/requests/{request_id}/verify-identity", response={200: PrivacyRequestOut, **ERRORS}
)
def verify_identity(request: HttpRequest, request_id: str, payload: IdentityIn) -> dict[str, Any]:
    row = services.privacy_request_identity(
        caller=caller_of(request),
        request=_get(request, request_id, manage=True),
        result=payload.result,
        evidence_note=payload.evidence_note,
    )
    return _out(request, row)


@router.post("/privacy/requests/{request_id}/extend", response={200: PrivacyRequestOut, **ERRORS})
def extend(request: HttpRequest, request_id: str, payload: ExtendIn) -> dict[str, Any]:
    """Extend by up to two further months; needs the date the person was told."""
    row = services.privacy_request_extend(
        caller=caller_of(request),
        request=_get(request, request_id, manage=True),
        months=payload.months,
        reason=payload.reason,
        person_told_on=payload.person_told_on,
    )
    return _out(request, row)


@router.post("/privacy/requests/{request_id}/notes", response={200: PrivacyRequestOut, **ERRORS})
def add_note(request: HttpRequest, request_id: str, payload: NoteIn) -> dict[str, Any]:
    row = services.privacy_request_note(
        caller=caller_of(request), request=_get(request, request_id, manage=True), body=payload.body
    )
    return _out(request, row)


@router.post("/privacy/requests/{request_id}/complete", response={200: PrivacyRequestOut, **ERRORS})
def complete(request: HttpRequest, request_id: str, payload: CompleteIn) -> dict[str, Any]:
    """Close the request saying what was done (the identity must be verified)."""
    row = services.privacy_request_complete(
        caller=caller_of(request),
        request=_get(request, request_id, manage=True),
        outcome=payload.outcome,
    )
    return _out(request, row)


@router.post("/privacy/requests/{request_id}/refuse", response={200: PrivacyRequestOut, **ERRORS})
def refuse(request: HttpRequest, request_id: str, payload: RefuseIn) -> dict[str, Any]:
    row = services.privacy_request_refuse(
        caller=caller_of(request),
        request=_get(request, request_id, manage=True),
        reason=payload.reason,
    )
    return _out(request, row)


@router.post("/privacy/requests/{request_id}/withdraw", response={200: PrivacyRequestOut, **ERRORS})
def withdraw(request: HttpRequest, request_id: str, payload: WithdrawIn) -> dict[str, Any]:
    row = services.privacy_request_withdraw(
        caller=caller_of(request),
        request=_get(request, request_id, manage=True),
        note=payload.note,
    )
    return _out(request, row)
