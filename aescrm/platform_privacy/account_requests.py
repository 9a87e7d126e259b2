"""AES-CRM Ltd's register of account holders' privacy requests (it is their controller).

The same six kinds, the same ICO deadline (``aescrm.privacy.deadlines``) and the
same extension rule (``aescrm.privacy.extensions``) as a clinic's register; run
by AES-CRM staff (``user.is_staff``) and audited on the platform chain as
``account.request.*``. Audit details name fields and states, never what anyone
wrote. A download or closing from the profile page is logged here as a request
completed there and then.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from aescrm.accounts.models import User
from aescrm.audit.services import audit_record
from aescrm.core.problems import Conflict, NotFound, ValidationFailed
from aescrm.platform_privacy.models import (
    AccountRequest,
    IdentityMethod,
    RequestSource,
)
from aescrm.privacy import deadlines
from aescrm.privacy.extensions import check_months, extended_until, require_told_on
from aescrm.privacy.models import OPEN_STATUSES, IdentityStatus, Kind, ReceivedBy, Status
from aescrm.privacy.selectors import DueWarning, due_warning
from aescrm.privacy.services import clean_text
from aescrm.privacy.steps import require_open, stamped

# AES-CRM Ltd is in England: its requests are received and fall due on London dates.
PLATFORM_TZ = ZoneInfo("Europe/London")
# Short on purpose: these are the staff's own words, stored without encryption.
TEXT_MAX = 2000
IDENTITY_RESULTS = (
    IdentityStatus.EVIDENCE_REQUESTED,
    IdentityStatus.VERIFIED,
    IdentityStatus.FAILED,
)
SELF_SERVICE_OUTCOME = {
    Kind.ACCESS: "The account holder downloaded their account data from their profile page.",
    Kind.ERASURE: (
        "The account holder closed their account from their profile page: sessions, API keys, "
        "memberships and second-factor devices ended; email, name and password erased."
    ),
}


def platform_today(now: dt.datetime | None = None) -> dt.date:
    return (now or timezone.now()).astimezone(PLATFORM_TZ).date()


def _require_staff(staff: Any) -> None:
    # Not a 403: to anyone else the register does not exist (as the other /platform pages).
    if not getattr(staff, "is_staff", False) or not getattr(staff, "is_active", False):
        raise NotFound("no such page")


def _choice(value: str, choices: Any, *, field: str) -> str:
    if value not in choices.values:
        raise ValidationFailed(f"{field} must be one of: {', '.join(choices.values)}", field=field)
    return value


def _append(existing: str, line: str, *, staff: User, now: dt.datetime) -> str:
    return stamped(existing, line, author=staff.email, tz=PLATFORM_TZ, now=now)


def _locked(request: AccountRequest) -> AccountRequest:
    return AccountRequest.objects.select_for_update().get(pk=request.pk)


# --- Writes ---------------------------------------------------------------------------


def account_request_create(
    *,
    staff: User,
    subject_email: str,
    kind: str,
    received_on: dt.date,
    channel: str,
    notes: str | None = "",
    now: dt.datetime | None = None,
) -> AccountRequest:
    """Log a request for the account with ``subject_email``; due one calendar month later."""
    _require_staff(staff)
    now = now or timezone.now()
    _choice(kind, Kind, field="kind")
    _choice(channel, ReceivedBy, field="channel")
    note = clean_text(notes, field="notes", required=False, limit=TEXT_MAX)
    email = (subject_email or "").strip()
    if not email:
        raise ValidationFailed("give the email address of the account", field="email")
    subject = User.objects.filter(email__iexact=email).first()
    if subject is None:
        raise ValidationFailed("no account has that email address", field="email")
    if received_on > platform_today(now):
        raise ValidationFailed("received_on cannot be in the future", field="received_on")
    request = AccountRequest(
        subject=subject,
        source=RequestSource.STAFF,
        kind=kind,
        received_on=received_on,
        channel=channel,
        due_on=deadlines.due_date(received_on),
        created_by=staff,
        notes=_append("", note, staff=staff, now=now) if note else "",
    )
    with transaction.atomic():
        request.save()
        audit_record(
            "account.request.create",
            object_type="account_request",
            object_id=request.pk,
            platform=True,
            detail={
                "kind": kind,
                "subject": str(subject.pk),
                "source": RequestSource.STAFF.value,
                "received_on": received_on.isoformat(),
                "due_on": request.due_on.isoformat(),
                "fields": ["notes"] if note else [],
            },
        )
    return request


def account_request_self_service(
    *, user: User, kind: Kind, now: dt.datetime | None = None
) -> AccountRequest:
    """Log what the account holder just did on their profile page as a completed request.

    They asked while signed in (and, for closing, confirmed their password), so
    the identity counts as verified. Call inside the action's own transaction.
    """
    now = now or timezone.now()
    today = platform_today(now)
    request = AccountRequest.objects.create(
        subject=user,
        source=RequestSource.SELF_SERVICE,
        kind=kind,
        received_on=today,
        channel=ReceivedBy.WEB_FORM,
        identity_status=IdentityStatus.VERIFIED,
        identity_method=IdentityMethod.SIGNED_IN,
        verified_at=now,
        due_on=deadlines.due_date(today),
        status=Status.COMPLETED,
        outcome=SELF_SERVICE_OUTCOME[kind],
        completed_at=now,
        created_by=user,
    )
    audit_record(
        "account.request.self_service",
        object_type="account_request",
        object_id=request.pk,
        platform=True,
        detail={"kind": kind.value, "subject": str(user.pk), "status": request.status},
    )
    return request


def account_request_identity(
    *,
    staff: User,
    request: AccountRequest,
    result: str,
    method: str = "",
    evidence_note: str | None = "",
    now: dt.datetime | None = None,
) -> AccountRequest:
    """Record the identity check. Verified or failed says how it was checked (``method``);
    an "other" check says what was seen (``evidence_note``)."""
    _require_staff(staff)
    now = now or timezone.now()
    if result not in IDENTITY_RESULTS:
        raise ValidationFailed(
            f"result must be one of: {', '.join(IDENTITY_RESULTS)}", field="result"
        )
    decided = result != IdentityStatus.EVIDENCE_REQUESTED
    if decided or method:
        _choice(method, IdentityMethod, field="method")
    note = clean_text(
        evidence_note,
        field="evidence_note",
        required=method == IdentityMethod.OTHER,
        limit=TEXT_MAX,
    )
    with transaction.atomic():
        request = _locked(request)
        require_open(request)
        if request.identity_status == IdentityStatus.VERIFIED:
            raise Conflict("the account holder's identity is already verified", field="result")
        before = request.identity_status
        request.identity_status = result
        if method:
            request.identity_method = method
        if note:
            label = IdentityStatus(result).label
            request.evidence_note = _append(
                request.evidence_note, f"{label}: {note}", staff=staff, now=now
            )
        if result == IdentityStatus.VERIFIED:
            request.verified_by = staff
            request.verified_at = now
            request.status = Status.IN_PROGRESS
        else:
            request.status = Status.AWAITING_IDENTITY
        request.save()
        audit_record(
            "account.request.identity",
            object_type="account_request",
            object_id=request.pk,
            platform=True,
            detail={
                "from": before,
                "to": result,
                "method": request.identity_method,
                "status": request.status,
                "fields": ["evidence_note"] if note else [],
            },
        )
    return request


def account_request_extend(
    *,
    staff: User,
    request: AccountRequest,
    months: Any,
    reason: str | None,
    person_told_on: dt.date | None,
    now: dt.datetime | None = None,
) -> AccountRequest:
    """Extend by 1 or 2 further months, by the clinic register's own rule."""
    _require_staff(staff)
    check_months(months)
    why = clean_text(reason, field="reason", required=True, limit=TEXT_MAX)
    told_on = require_told_on(person_told_on)
    today = platform_today(now)
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
            "account.request.extend",
            object_type="account_request",
            object_id=request.pk,
            platform=True,
            detail={
                "months": months,
                "extended_until": request.extended_until.isoformat(),
                "person_told_on": told_on.isoformat(),
                "fields": ["extension_reason"],
            },
        )
    return request


def account_request_note(
    *, staff: User, request: AccountRequest, body: str | None, now: dt.datetime | None = None
) -> AccountRequest:
    """Add a note (closed requests too: what happened afterwards belongs on the record)."""
    _require_staff(staff)
    now = now or timezone.now()
    text = clean_text(body, field="body", required=True, limit=TEXT_MAX)
    with transaction.atomic():
        request = _locked(request)
        request.notes = _append(request.notes, text, staff=staff, now=now)
        request.save()
        audit_record(
            "account.request.note",
            object_type="account_request",
            object_id=request.pk,
            platform=True,
            detail={"fields": ["notes"]},
        )
    return request


def _close(
    *, staff: User, request: AccountRequest, status: Status, action: str, outcome: str, now: Any
) -> AccountRequest:
    request.status = status
    request.outcome = outcome
    request.completed_at = now
    request.completed_by = staff
    request.save()
    audit_record(
        f"account.request.{action}",
        object_type="account_request",
        object_id=request.pk,
        platform=True,
        detail={
            "kind": request.kind,
            "status": request.status,
            "deadline": request.deadline.isoformat(),
            "late": platform_today(now) > request.deadline,
            "fields": ["outcome"] if outcome else [],
        },
    )
    return request


def account_request_complete(
    *,
    staff: User,
    request: AccountRequest,
    outcome: str | None,
    now: dt.datetime | None = None,
) -> AccountRequest:
    """Close the request as done, saying what was done. The identity must be verified first."""
    _require_staff(staff)
    now = now or timezone.now()
    text = clean_text(outcome, field="outcome", required=True, limit=TEXT_MAX)
    with transaction.atomic():
        request = _locked(request)
        require_open(request)
        if request.identity_status != IdentityStatus.VERIFIED:
            raise Conflict(
                "verify the account holder's identity before completing the request",
                field="identity_status",
            )
        return _close(
            staff=staff,
            request=request,
            status=Status.COMPLETED,
            action="complete",
            outcome=text,
            now=now,
        )


def account_request_refuse(
    *, staff: User, request: AccountRequest, reason: str | None, now: dt.datetime | None = None
) -> AccountRequest:
    """Refuse the request (manifestly unfounded or excessive, identity not shown): the
    account holder must be told why, so the reason is required."""
    _require_staff(staff)
    now = now or timezone.now()
    text = clean_text(reason, field="reason", required=True, limit=TEXT_MAX)
    with transaction.atomic():
        request = _locked(request)
        require_open(request)
        return _close(
            staff=staff,
            request=request,
            status=Status.REFUSED,
            action="refuse",
            outcome=text,
            now=now,
        )


def account_request_withdraw(
    *, staff: User, request: AccountRequest, note: str | None = "", now: dt.datetime | None = None
) -> AccountRequest:
    """The account holder withdrew the request; ``note`` may say how they said so."""
    _require_staff(staff)
    now = now or timezone.now()
    text = clean_text(note, field="note", required=False, limit=TEXT_MAX)
    with transaction.atomic():
        request = _locked(request)
        require_open(request)
        if text:
            request.notes = _append(request.notes, f"Withdrawn: {text}", staff=staff, now=now)
        return _close(
            staff=staff,
            request=request,
            status=Status.WITHDRAWN,
            action="withdraw",
            outcome="",
            now=now,
        )


# --- Reads ------------------------------------------------------------------------------


def by_deadline(rows: QuerySet[AccountRequest]) -> QuerySet[AccountRequest]:
    return rows.annotate(deadline_on=Coalesce("extended_until", "due_on")).order_by(
        "deadline_on", "created_at", "id"
    )


def account_request_list(*, staff: User, closed: bool = False, limit: int = 200) -> list[Any]:
    """Open requests soonest deadline first (or the latest closed ones), each with its warning."""
    _require_staff(staff)
    rows = AccountRequest.objects.select_related("subject")
    if closed:
        page = list(rows.exclude(status__in=OPEN_STATUSES).order_by("-completed_at")[:limit])
    else:
        page = list(by_deadline(rows.filter(status__in=OPEN_STATUSES))[:limit])
    audit_record(
        "account.request.list",
        object_type="account_request",
        platform=True,
        detail={"shown": [str(r.pk) for r in page]},
    )
    return page


def account_request_get(*, staff: User, request_id: Any, audit: bool = True) -> AccountRequest:
    _require_staff(staff)
    try:
        pk = uuid.UUID(str(request_id))
    except ValueError as exc:
        raise NotFound("no such request") from exc
    request = AccountRequest.objects.select_related("subject").filter(pk=pk).first()
    if request is None:
        raise NotFound("no such request")
    if audit:
        audit_record(
            "account.request.read",
            object_type="account_request",
            object_id=request.pk,
            platform=True,
        )
    return request


def warning_for(request: AccountRequest, today: dt.date | None = None) -> DueWarning | None:
    """The clinic register's due-soon/overdue warning, on the platform's calendar."""
    if not request.is_open:
        return None
    return due_warning(request.deadline, today or platform_today())
