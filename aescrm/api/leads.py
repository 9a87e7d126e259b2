"""The lead pipeline over the API: open leads by score, and moving or assigning a lead."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

from django.db import transaction
from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import StringConstraints

from aescrm.accounts.permissions import Perm
from aescrm.api.common import ERRORS, caller_of
from aescrm.api.schemas import Clean, Strict
from aescrm.pipeline import selectors, services
from aescrm.pipeline.selectors import Lead

router = Router(tags=["leads"])

StageName = Literal["new", "contacted", "consultation_booked", "treatment_booked", "won", "lost"]
OpenStage = Literal["new", "contacted", "consultation_booked", "treatment_booked"]
ReasonCode = Literal[
    "price",
    "no_response",
    "booked_elsewhere",
    "not_suitable",
    "not_interested",
    "duplicate",
    "other",
]


class LeadOut(Schema):
    id: uuid.UUID
    patient: uuid.UUID
    channel: str
    treatment: uuid.UUID | None
    stage: str
    status: str
    score: int | None
    reasons: list[str]
    scored_by: str
    assigned_to: uuid.UUID | None
    lost_reason: str | None
    created_at: dt.datetime
    first_response_at: dt.datetime | None
    stage_changed_at: dt.datetime | None
    speed_to_lead: float | None
    response_due_at: dt.datetime | None


class LeadFilter(Clean):
    stage: OpenStage | None = None
    limit: int = 100


class LeadPatch(Strict):
    stage: StageName | None = None
    assigned_to: uuid.UUID | None = None
    lost_reason: ReasonCode | None = None
    lost_note: Annotated[str, StringConstraints(max_length=200)] | None = None


def lead_out(lead: Lead) -> dict[str, object]:
    e = lead.enquiry
    return {
        "id": e.pk,
        "patient": e.patient_id,
        "channel": e.channel,
        "treatment": e.treatment_id,
        "stage": e.stage,
        "status": e.status,
        "score": lead.score,
        "reasons": lead.reasons,
        "scored_by": lead.method,
        "assigned_to": e.assigned_to_id,
        "lost_reason": e.lost_reason or None,
        "created_at": e.created_at,
        "first_response_at": e.first_response_at,
        "stage_changed_at": e.stage_changed_at,
        "speed_to_lead": e.speed_to_lead,
        "response_due_at": lead.due_at,
    }


@router.get("/leads", response={200: list[LeadOut], **ERRORS})
def list_leads(request: HttpRequest, filters: Query[LeadFilter]) -> list[dict[str, object]]:
    """Open leads, highest score first; a patient who objected to profiling has score null."""
    caller = caller_of(request)
    leads = selectors.open_leads(caller=caller, stage=filters.stage, limit=filters.limit)
    return [lead_out(lead) for lead in leads]


@router.patch("/leads/{enquiry_id}", response={200: LeadOut, **ERRORS})
def update_lead(request: HttpRequest, enquiry_id: str, payload: LeadPatch) -> dict[str, object]:
    """Move a lead to a stage (lost needs lost_reason), and/or assign it (null unassigns)."""
    caller = caller_of(request)
    caller.require(Perm.ENQUIRY_EDIT)
    enquiry = selectors.enquiry_get(caller=caller, enquiry_id=enquiry_id)
    sent = payload.model_fields_set
    with transaction.atomic():
        if "assigned_to" in sent:
            services.lead_assign(caller=caller, enquiry=enquiry, user_id=payload.assigned_to)
        if payload.stage is not None:
            services.lead_move(
                caller=caller,
                enquiry=enquiry,
                stage=payload.stage,
                lost_reason=payload.lost_reason or "",
                lost_note=payload.lost_note or "",
            )
        elif payload.lost_reason or payload.lost_note:
            services.lead_move(
                caller=caller,
                enquiry=enquiry,
                stage=enquiry.stage,
                lost_reason=payload.lost_reason or "",
                lost_note=payload.lost_note or "",
            )
    (lead,) = selectors.score_leads([enquiry])
    return lead_out(lead)
