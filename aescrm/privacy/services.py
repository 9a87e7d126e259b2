"""Writes to the privacy requests register. Every change is audited as ``privacy.request.*``.

Each service takes the row lock, checks the request is still in a state that
allows the change and the caller may make it, then writes; errors name the
field at fault. Audit details name fields and states, never what anyone wrote.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Clinic, User
from aescrm.accounts.permissions import Perm
from aescrm.audit.services import audit_record
from aescrm.core.problems import Conflict, ValidationFailed
from aescrm.patients.models import Patient
from aescrm.privacy import deadlines
from aescrm.privacy.extensions import check_months, extended_until, require_told_on
from aescrm.privacy.models import (
    IdentityStatus,
    Kind,
    PrivacyRequest,
    ReceivedBy,
    Status,
)
from aescrm.privacy.steps import require_open, stamped

REQUESTER_MAX = 2000
TEXT_MAX = 5000
IDENTITY_RESULTS = (
    IdentityStatus.EVIDENCE_REQUESTED,
    IdentityStatus.VERIFIED,
    IdentityStatus.FAILED,
)


def clinic_today(clinic_id: Any) -> dt.date:
    """Today on the clinic's own calendar (requests are received and due on its dates)."""
    clinic = Clinic.objects.get(pk=clinic_id)
    return timezone.now().astimezone(clinic.tz).date()


def clean_text(value: str | None, *, field: str, required: bool, limit: int = TEXT_MAX) -> str:
    """Trimmed text within ``limit``; errors name ``field`` (shared with the platform register)."""
    text = (value or "").strip()
    if "\x00" in text:
        raise ValidationFailed(f"{field} must not contain NUL characters", field=field)
    if len(text) > limit:
        raise ValidationFailed(f"{field} is longer than {limit} characters", field=field)
    if required and not text:
        raise ValidationFailed(f"{field} is required", field=field)
    return text


def _choice(value: str, choices: Any, *, field: str) -> str:
    if value not in choices.values:
        raise ValidationFailed(f"{field} must be one of: {', '.join(choices.values)}", field=field)
    return value


def _author(caller: Caller) -> str:
    if caller.user_id is not None:
        user = User.objects.filter(pk=caller.user_id).first()
        if user is not None:
            return str(user)
    return "API key"


def _append(existing: str | None, line: str, *, caller: Caller, now: dt.datetime) -> str:
    clinic = Clinic.objects.get(pk=caller.clinic_id)
    return stamped(existing, line, author=_author(caller), tz=clinic.tz, now=now)


def _locked(request: PrivacyRequest) -> PrivacyRequest:
    return PrivacyRequest.objects.select_for_update().get(pk=request.pk)


def privacy_request_create(
    *,
    caller: Caller,
    kind: str,
    received_on: dt.date,
    channel: str,
    patient: Patient | None = None,
    requester_details: str | None = "",
    notes: str | None = "",
    now: dt.datetime | None = None,
) -> PrivacyRequest:
    """Log a request. It is due one calendar month after ``received_on`` (the clinic's date)."""
    caller.require(Perm.PRIVACY_MANAGE)
    now = now or timezone.now()
    _choice(kind, Kind, field="kind")
    _choice(channel, ReceivedBy, field="channel")
    details = clean_text(
        requester_details, field="requester_details", required=False, limit=REQUESTER_MAX
    )
    note = clean_text(notes, field="notes", required=False)
    if patient is None and not details:
        raise ValidationFailed(
            "choose the patient, or say who made the request in requester_details",
            field="patient",
        )
    today = clinic_today(caller.clinic_id)
    if received_on > today:
        raise ValidationFailed("received_on cannot be in the future", field="received_on")
    request = PrivacyRequest(
        kind=kind,
        patient=patient,
        received_on=received_on,
        channel=channel,
        requester_details=details,
        due_on=deadlines.due_date(received_on),
        created_by_id=caller.user_id,
    )
    if note:
        request.notes = _append(None, note, caller=caller, now=now)
    with transaction.atomic():
        request.save()
        audit_record(
            "privacy.request.create",
            object_type="privacy_request",
            object_id=request.pk,
            detail={
                "kind": kind,
                "patient": str(patient.pk) if patient else None,
                "received_on": received_on.isoformat(),
                "due_on": request.due_on.isoformat(),
                "fields": [n for n, v in (("requester_details", details), ("notes", note)) if v],
            },
        )
    return request


def privacy_request_identity(
    *,
    caller: Caller,
    request: PrivacyRequest,
    result: str,
    evidence_note: str | None = "",
    now: dt.datetime | None = None,
) -> PrivacyRequest:
    """Record the identity check: evidence asked for, identity verified, or the check failed.

    A verified or failed check says what evidence was seen (``evidence_note``).
    """
    caller.require(Perm.PRIVACY_MANAGE)
    now = now or timezone.now()
    if result not in IDENTITY_RESULTS:
        raise ValidationFailed(
            f"result must be one of: {', '.join(IDENTITY_RESULTS)}", field="result"
        )
    note = clean_text(
        evidence_note,
        field="evidence_note",
        required=result != IdentityStatus.EVIDENCE_REQUESTED,
    )
    with transaction.atomic():
        request = _locked(request)
        require_open(request)
        if request.identity_status == IdentityStatus.VERIFIED:
            raise Conflict("the requester's identity is already verified", field="result")
        before = request.identity_status
        request.identity_status = result
        if note:
            label = IdentityStatus(result).label
            request.evidence_note = _append(
                request.evidence_note, f"{label}: {note}", caller=caller, now=now
            )
        if result == IdentityStatus.VERIFIED:
            request.verified_by_id = caller.user_id
            request.verified_at = now
            request.status = Status.IN_PROGRESS
        else:
            request.status = Status.AWAITING_IDENTITY
        request.save()
        audit_record(
            "privacy.request.identity",
            object_type="privacy_request",
            object_id=request.pk,
            detail={
                "from": before,
                "to": result,
                "status": request.status,
                "fields": ["evidence_note"] if note else [],
            },
        )
    return request


def privacy_request_extend(
    *,
    caller: Caller,
    request: PrivacyRequest,
    months: int,
    reason: str | None,
    person_told_on: dt.date | None,
) -> PrivacyRequest:
    """Extend the deadline to ``months`` (1 or 2) further months beyond the original due date.

    The person must have been told, with the reason, within the first month: the
    date they were told is required and may not be after the original due date.
    """
    caller.require(Perm.PRIVACY_MANAGE)
    check_months(months)
    why = clean_text(reason, field="reason", required=True)
    told_on = require_told_on(person_told_on)
    today = clinic_today(caller.clinic_id)
    with transaction.atomic():
        request = _locked(request)
        require_open(request)
        request.extended_until = extended_until(
            received_on=request.received_on,
            due_on=request.due_on,
            current_months=request.extension_months,
            months=months,
            person_told_on=told_on,
            today=today,
        )
        request.extension_months = months
        request.extension_reason = why
        request.person_told_on = told_on
        request.save()
        audit_record(
            "privacy.request.extend",
            object_type="privacy_request",
            object_id=request.pk,
            detail={
                "months": months,
                "extended_until": request.extended_until.isoformat(),
                "person_told_on": told_on.isoformat(),
                "fields": ["extension_reason"],
            },
        )
    return request


def privacy_request_note(
    *, caller: Caller, request: PrivacyRequest, body: str | None, now: dt.datetime | None = None
) -> PrivacyRequest:
    """Add a note (closed requests too: what happened afterwards belongs on the record)."""
    caller.require(Perm.PRIVACY_MANAGE)
    now = now or timezone.now()
    text = clean_text(body, field="body", required=True)
    with transaction.atomic():
        request = _locked(request)
        request.notes = _append(request.notes, text, caller=caller, now=now)
        request.save()
        audit_record(
            "privacy.request.note",
            object_type="privacy_request",
            object_id=request.pk,
            detail={"fields": ["notes"]},
        )
    return request


def _close(
    *,
    caller: Caller,
    request: PrivacyRequest,
    status: Status,
    action: str,
    outcome: str,
    now: dt.datetime,
) -> PrivacyRequest:
    request.status = status
    if outcome:
        request.outcome = outcome
    request.completed_at = now
    request.completed_by_id = caller.user_id
    request.save()
    closed_on = now.astimezone(Clinic.objects.get(pk=caller.clinic_id).tz).date()
    audit_record(
        f"privacy.request.{action}",
        object_type="privacy_request",
        object_id=request.pk,
        detail={
            "kind": request.kind,
            "status": status.value,
            "deadline": request.deadline.isoformat(),
            "late": closed_on > request.deadline,
            "fields": ["outcome"] if outcome else [],
        },
    )
    return request


def privacy_request_complete(
    *, caller: Caller, request: PrivacyRequest, outcome: str | None, now: dt.datetime | None = None
) -> PrivacyRequest:
    """Close the request as done, saying what was done. The identity must be verified first."""
    caller.require(Perm.PRIVACY_MANAGE)
    text = clean_text(outcome, field="outcome", required=True)
    with transaction.atomic():
        request = _locked(request)
        require_open(request)
        if request.identity_status != IdentityStatus.VERIFIED:
            raise Conflict(
                "verify the requester's identity before completing the request",
                field="identity_status",
            )
        return _close(
            caller=caller,
            request=request,
            status=Status.COMPLETED,
            action="complete",
            outcome=text,
            now=now or timezone.now(),
        )


def privacy_request_refuse(
    *, caller: Caller, request: PrivacyRequest, reason: str | None, now: dt.datetime | None = None
) -> PrivacyRequest:
    """Close the request as refused (e.g. manifestly unfounded, identity not proven), with why."""
    caller.require(Perm.PRIVACY_MANAGE)
    text = clean_text(reason, field="reason", required=True)
    with transaction.atomic():
        request = _locked(request)
        require_open(request)
        return _close(
            caller=caller,
            request=request,
            status=Status.REFUSED,
            action="refuse",
            outcome=text,
            now=now or timezone.now(),
        )


def privacy_request_withdraw(
    *,
    caller: Caller,
    request: PrivacyRequest,
    note: str | None = "",
    now: dt.datetime | None = None,
) -> PrivacyRequest:
    """The person withdrew the request; ``note`` may say how they told the clinic."""
    caller.require(Perm.PRIVACY_MANAGE)
    now = now or timezone.now()
    text = clean_text(note, field="note", required=False)
    with transaction.atomic():
        request = _locked(request)
        require_open(request)
        if text:
            request.notes = _append(request.notes, f"Withdrawn: {text}", caller=caller, now=now)
        return _close(
            caller=caller,
            request=request,
            status=Status.WITHDRAWN,
            action="withdraw",
            outcome="",
            now=now,
        )
