"""Reads of patient data. Every read that shows patient data is audited here,
so the web pages and the API get the same audit trail."""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from aescrm.accounts.caller import Caller
from aescrm.accounts.permissions import Perm
from aescrm.audit.services import audit_record
from aescrm.core.problems import NotFound, ValidationFailed
from aescrm.core.tenancy import current_clinic_id
from aescrm.patients import search
from aescrm.patients.models import Appointment, Enquiry, Patient, PatientNote, Practitioner

PAGE_MAX = 100


def _visible_patients(caller: Caller) -> QuerySet[Patient]:
    caller.require_any(Perm.PATIENT_VIEW, Perm.PATIENT_VIEW_OWN)
    # An erased patient kept for their financial records (aescrm.erasure) has no name,
    # which no live record can lack: it is in no list, search or page.
    patients = Patient.objects.exclude(first_name__isnull=True, last_name__isnull=True)
    if caller.sees_only_own_patients:
        if caller.user_id is None:
            return patients.none()
        treated_by = Practitioner.objects.filter(user_id=caller.user_id)
        patients = patients.filter(appointments__practitioner__in=treated_by).distinct()
    return patients


def patient_get(
    *, caller: Caller, patient_id: Any, purpose: str = "view", audit: bool = True
) -> Patient:
    """The patient, if the caller may see them; NotFound otherwise (also for other clinics)."""
    try:
        pid = uuid.UUID(str(patient_id))
    except ValueError as exc:
        raise NotFound("no such patient") from exc
    patient = _visible_patients(caller).filter(pk=pid).first()
    if patient is None:
        raise NotFound("no such patient")
    if audit:
        audit_record("patient.read", object_type="patient", object_id=patient.pk, purpose=purpose)
    return patient


@dataclass
class PatientPage:
    patients: list[Patient]
    next_cursor: str | None


def _encode_cursor(patient: Patient) -> str:
    raw = f"{patient.created_at.isoformat()}|{patient.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[dt.datetime, uuid.UUID]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        created, pk = base64.urlsafe_b64decode(padded.encode()).decode().split("|")
        at, after = dt.datetime.fromisoformat(created), uuid.UUID(pk)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationFailed("cursor is not one this API issued", field="cursor") from exc
    if at.tzinfo is None:  # every issued cursor carries its UTC offset
        raise ValidationFailed("cursor is not one this API issued", field="cursor")
    return at, after


def _in_pages(patients: QuerySet[Patient], size: int) -> Iterator[Patient]:
    """The queryset in plain LIMIT/OFFSET pages, fetched only as far as the caller reads.

    Not ``.iterator()``: on PostgreSQL that opens a WITH HOLD cursor, which
    materialises every candidate (all 50,000 patients' index walked) before
    the first row comes back.
    """
    offset = 0
    while True:
        page = list(patients[offset : offset + size])
        yield from page
        if len(page) < size:
            return
        offset += size


def patient_list(
    *,
    caller: Caller,
    search_query: str = "",
    cursor: str | None = None,
    limit: int = 25,
    stage: str | None = None,
) -> PatientPage:
    """Newest first, cursor-paginated; ``search_query`` matches part of a name, email or phone."""
    if not 1 <= limit <= PAGE_MAX:
        raise ValidationFailed(f"limit must be between 1 and {PAGE_MAX}", field="limit")
    patients = _visible_patients(caller).order_by("-created_at", "-id")
    if stage:
        patients = patients.filter(stage=stage)
    query = search_query.strip()
    if query:
        if len(query) > 100:
            raise ValidationFailed("search is longer than 100 characters", field="search")
        candidates = search.candidate_ids(current_clinic_id(), query)
        if candidates is None:
            raise ValidationFailed(
                f"search needs at least {search.MIN_QUERY_CHARS} letters or 3 digits",
                field="search",
            )
        patients = patients.filter(pk__in=candidates)
    if cursor:
        created, pk = _decode_cursor(cursor)
        patients = patients.filter(created_at__lte=created).exclude(created_at=created, id__gte=pk)
    page: list[Patient] = []
    has_more = False
    for patient in _in_pages(patients, 2 * (limit + 1)) if query else patients[: limit + 1]:
        if query and not search.matches(patient, query):
            continue
        if len(page) == limit:
            has_more = True
            break
        page.append(patient)
    audit_record(
        "patient.search" if query else "patient.list",
        object_type="patient",
        detail={"shown": [str(p.pk) for p in page]},
    )
    return PatientPage(page, _encode_cursor(page[-1]) if has_more and page else None)


@dataclass
class TimelineItem:
    kind: str
    at: dt.datetime
    obj: Any


def patient_timeline(*, caller: Caller, patient: Patient) -> list[TimelineItem]:
    """Enquiries, appointments, notes, messages and website chats, newest first."""
    from aescrm.messaging.models import Message

    items: list[TimelineItem] = []
    if caller.can(Perm.ENQUIRY_VIEW) or caller.can(Perm.PATIENT_VIEW):
        items += [
            TimelineItem("enquiry", e.created_at, e)
            for e in Enquiry.objects.filter(patient=patient)
        ]
    if caller.can(Perm.APPOINTMENT_VIEW):
        items += [
            TimelineItem("appointment", a.starts_at, a)
            for a in Appointment.objects.filter(patient=patient).select_related(
                "treatment", "practitioner"
            )
        ]
    if caller.can(Perm.NOTES_VIEW):
        items += [
            TimelineItem("note", n.created_at, n)
            for n in PatientNote.objects.filter(patient=patient)
        ]
    if caller.can(Perm.MESSAGE_VIEW) or caller.can(Perm.PATIENT_VIEW):
        # Bodies are shown only to callers with Perm.MESSAGE_BODY_VIEW (not marketers).
        items += [
            TimelineItem("message", m.created_at, m)
            for m in Message.objects.filter(patient=patient).order_by("-created_at")[:200]
        ]
    if caller.can(Perm.CHAT_VIEW):
        from aescrm.assistant.staff import patient_chats

        items += [TimelineItem("chat", c.started_at, c) for c in patient_chats(caller, patient)]
    items.sort(key=lambda item: item.at, reverse=True)
    audit_record(
        "patient.timeline.read",
        object_type="patient",
        object_id=patient.pk,
        detail={"kinds": sorted({i.kind for i in items})},
    )
    return items


def appointments_between(
    *,
    caller: Caller,
    start: dt.datetime,
    end: dt.datetime,
    practitioner: Practitioner | None = None,
) -> QuerySet[Appointment]:
    caller.require(Perm.APPOINTMENT_VIEW)
    qs = Appointment.objects.filter(starts_at__lt=end, ends_at__gt=start).select_related(
        "treatment", "practitioner", "patient"
    )
    if practitioner is not None:
        qs = qs.filter(practitioner=practitioner)
    if caller.sees_only_own_patients:
        qs = qs.filter(practitioner__user_id=caller.user_id) if caller.user_id else qs.none()
    return qs.order_by("starts_at")
