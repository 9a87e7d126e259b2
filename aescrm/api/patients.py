from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from aescrm.accounts.permissions import Perm
from aescrm.api.common import ERRORS, caller_of
from aescrm.api.schemas import (
    Clean,
    PatientDetailOut,
    PatientIn,
    PatientOut,
    PatientPageOut,
    TimelineItemOut,
)
from aescrm.assistant.models import ChatSession
from aescrm.assistant.staff import chat_summary
from aescrm.attribution.services import patient_touches, touch_out
from aescrm.messaging.models import Channel, Message
from aescrm.patients import selectors, services
from aescrm.patients.models import Appointment, Enquiry, Patient, PatientNote

router = Router(tags=["patients"])


def patient_out(patient: Patient, *, with_notes: bool) -> dict[str, object]:
    return {
        "id": patient.pk,
        "first_name": patient.first_name,
        "last_name": patient.last_name,
        "email": patient.email,
        "phone": patient.phone,
        "date_of_birth": dt.date.fromisoformat(patient.date_of_birth)
        if patient.date_of_birth
        else None,
        "address": patient.address,
        "notes": patient.notes if with_notes else None,
        "stage": patient.stage,
        "tags": patient.tags,
        "consent": patient.consent_out,
        "restricted": patient.restricted,
        "objects_to_profiling": patient.objects_to_profiling,
        "created_at": patient.created_at,
        "updated_at": patient.updated_at,
    }


def _input(payload: PatientIn) -> services.PatientInput:
    data = payload.model_dump(exclude_unset=True)
    clear = tuple(name for name in services.PERSONAL_FIELDS if name in data and data[name] is None)
    consent = {k: v for k, v in (data.get("consent") or {}).items() if v is not None}
    return services.PatientInput(
        first_name=data.get("first_name"),
        last_name=data.get("last_name"),
        email=data.get("email"),
        phone=data.get("phone"),
        date_of_birth=data.get("date_of_birth"),
        address=data.get("address"),
        notes=data.get("notes"),
        stage=data.get("stage"),
        tags=data.get("tags"),
        consent=consent or None,
        restricted=data.get("restricted"),
        objects_to_profiling=data.get("objects_to_profiling"),
        clear=clear,
    )


class ListParams(Clean):
    search: str = ""
    cursor: str | None = None
    limit: int = 25
    stage: Literal["lead", "patient", "lost"] | None = None


@router.post("/patients", response={201: PatientOut, **ERRORS})
def create_patient(
    request: HttpRequest, payload: PatientIn, confirm_erased: bool = False
) -> Status[dict[str, object]]:
    """409 ``erased-person`` when the email or phone belongs to someone who asked to be
    erased; repeat with ``?confirm_erased=true`` only if they asked to be added again."""
    caller = caller_of(request)
    patient = services.patient_create(
        caller=caller,
        data=_input(payload),
        consent_source="api",
        consent_wording=payload.consent_wording or "",
        confirm_erased=confirm_erased,
    )
    return Status(201, patient_out(patient, with_notes=caller.can(Perm.NOTES_VIEW)))


@router.get("/patients", response={200: PatientPageOut, **ERRORS})
def list_patients(request: HttpRequest, params: Query[ListParams]) -> dict[str, object]:
    caller = caller_of(request)
    page = selectors.patient_list(
        caller=caller,
        search_query=params.search,
        cursor=params.cursor,
        limit=params.limit,
        stage=params.stage,
    )
    notes = caller.can(Perm.NOTES_VIEW)
    return {
        "items": [patient_out(p, with_notes=notes) for p in page.patients],
        "next_cursor": page.next_cursor,
    }


@router.get("/patients/{patient_id}", response={200: PatientDetailOut, **ERRORS})
def get_patient(request: HttpRequest, patient_id: str) -> dict[str, object]:
    caller = caller_of(request)
    patient = selectors.patient_get(caller=caller, patient_id=patient_id, purpose="api read")
    first, last = patient_touches(patient)
    return {
        **patient_out(patient, with_notes=caller.can(Perm.NOTES_VIEW)),
        "first_touch": touch_out(first),
        "last_touch": touch_out(last),
    }


@router.patch("/patients/{patient_id}", response={200: PatientOut, **ERRORS})
def update_patient(
    request: HttpRequest, patient_id: str, payload: PatientIn, confirm_erased: bool = False
) -> dict[str, object]:
    """Change a patient's details. A new email or phone of someone who was erased gets 409
    ``erased-person``; repeat with ``?confirm_erased=true`` only if they asked to be added."""
    caller = caller_of(request)
    patient = selectors.patient_get(caller=caller, patient_id=patient_id, audit=False)
    services.patient_update(
        caller=caller,
        patient=patient,
        data=_input(payload),
        consent_source="api",
        consent_wording=payload.consent_wording or "",
        confirm_erased=confirm_erased,
    )
    return patient_out(patient, with_notes=caller.can(Perm.NOTES_VIEW))


@router.delete("/patients/{patient_id}", response={204: None, **ERRORS})
def delete_patient(request: HttpRequest, patient_id: str) -> HttpResponse:
    caller = caller_of(request)
    patient = selectors.patient_get(caller=caller, patient_id=patient_id, audit=False)
    services.patient_delete(caller=caller, patient=patient)
    return HttpResponse(status=204)


def _timeline_item(item: selectors.TimelineItem, *, bodies: bool) -> dict[str, object]:
    obj = item.obj
    if isinstance(obj, Message):
        return {
            "type": "message",
            "id": obj.pk,
            "at": item.at,
            # A call's body is our own outcome line ("Missed call (…)"), not the patient's words.
            "summary": str(obj.body)
            if obj.channel == Channel.CALL
            else f"{obj.get_channel_display()} {obj.get_direction_display().lower()}",
            "status": obj.status,
            "channel": obj.channel,
            "direction": obj.direction,
            "body": str(obj.body or "") if bodies else None,
        }
    if isinstance(obj, Enquiry):
        summary = f"Enquiry by {obj.get_channel_display()}"
        return {
            "type": "enquiry",
            "id": obj.pk,
            "at": item.at,
            "summary": summary,
            "status": obj.status,
            "channel": obj.channel,
            "body": obj.message,
        }
    if isinstance(obj, Appointment):
        summary = f"{obj.treatment.name} with {obj.practitioner.display_name}"
        return {
            "type": "appointment",
            "id": obj.pk,
            "at": item.at,
            "summary": summary,
            "status": obj.status,
        }
    if isinstance(obj, ChatSession):
        return {
            "type": "chat",
            "id": obj.pk,
            "at": item.at,
            "summary": chat_summary(obj),
            "turns": getattr(obj, "messages", obj.turn_count),
        }
    assert isinstance(obj, PatientNote)
    return {"type": "note", "id": obj.pk, "at": item.at, "summary": "Note", "body": obj.body}


@router.get("/patients/{patient_id}/timeline", response={200: list[TimelineItemOut], **ERRORS})
def patient_timeline(request: HttpRequest, patient_id: str) -> list[dict[str, object]]:
    caller = caller_of(request)
    patient = selectors.patient_get(caller=caller, patient_id=patient_id, purpose="api timeline")
    bodies = caller.can(Perm.MESSAGE_BODY_VIEW)
    return [
        _timeline_item(i, bodies=bodies)
        for i in selectors.patient_timeline(caller=caller, patient=patient)
    ]
