from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Status

from aescrm.accounts.permissions import Perm
from aescrm.api.common import ERRORS, caller_of, get_in_clinic
from aescrm.api.schemas import Clean, EnquiryIn, EnquiryOut, TouchIn
from aescrm.attribution.touch import TouchInput, parse_touch
from aescrm.audit.services import audit_record
from aescrm.core.problems import NotFound, ValidationFailed
from aescrm.patients import selectors, services
from aescrm.patients.models import Enquiry, Treatment

router = Router(tags=["enquiries"])


def enquiry_out(enquiry: Enquiry) -> dict[str, object]:
    return {
        "id": enquiry.pk,
        "patient": enquiry.patient_id,
        "channel": enquiry.channel,
        "treatment": enquiry.treatment_id,
        "message": enquiry.message,
        "status": enquiry.status,
        "created_at": enquiry.created_at,
    }


def _touch(touch: TouchIn | None, name: str) -> TouchInput | None:
    if touch is None:
        return None
    data = touch.model_dump(exclude_none=True)
    if isinstance(touch.occurred_at, dt.datetime):
        data["occurred_at"] = touch.occurred_at.isoformat()
    return parse_touch(data, prefix=name, marketing_consent=touch.marketing_consent)


@router.post("/enquiries", response={201: EnquiryOut, **ERRORS})
def create_enquiry(request: HttpRequest, payload: EnquiryIn) -> Status[dict[str, object]]:
    caller = caller_of(request)
    caller.require(Perm.ENQUIRY_EDIT)
    try:
        patient = selectors.patient_get(caller=caller, patient_id=payload.patient, audit=False)
    except NotFound as exc:
        raise ValidationFailed("no such patient in this clinic", field="patient") from exc
    treatment = (
        get_in_clinic(
            Treatment.objects.all(), payload.treatment, label="treatment", field="treatment"
        )
        if payload.treatment
        else None
    )
    enquiry = services.enquiry_create(
        caller=caller,
        patient=patient,
        channel=payload.channel,
        message=payload.message,
        treatment=treatment,
        first_touch=_touch(payload.first_touch, "first_touch"),
        last_touch=_touch(payload.last_touch, "last_touch"),
    )
    return Status(201, enquiry_out(enquiry))


class EnquiryFilter(Clean):
    patient: uuid.UUID | None = None
    status: Literal["new", "contacted", "booked", "closed"] | None = None
    limit: int = 50


@router.get("/enquiries", response={200: list[EnquiryOut], **ERRORS})
def list_enquiries(request: HttpRequest, filters: Query[EnquiryFilter]) -> list[dict[str, object]]:
    caller = caller_of(request)
    caller.require(Perm.ENQUIRY_VIEW)
    if not 1 <= filters.limit <= 200:
        raise ValidationFailed("limit must be between 1 and 200", field="limit")
    enquiries = Enquiry.objects.order_by("-created_at")
    if filters.patient:
        enquiries = enquiries.filter(patient_id=filters.patient)
    if filters.status:
        enquiries = enquiries.filter(status=filters.status)
    rows = list(enquiries[: filters.limit])
    audit_record("enquiry.list", object_type="enquiry", detail={"shown": [str(e.pk) for e in rows]})
    return [enquiry_out(e) for e in rows]
