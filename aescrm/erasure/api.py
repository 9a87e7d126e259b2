"""JSON API: plan or carry out a patient's erasure (scope patients:erase)."""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from ninja import Router

from aescrm.api.common import ERRORS, caller_of
from aescrm.api.schemas import Clean
from aescrm.erasure import selectors, services
from aescrm.erasure.plan import done_lines

router = Router(tags=["privacy"])


class ErasureIn(Clean):
    dry_run: bool = True
    reason: str | None = None  # one of ErasureReason: asked, no_longer_needed, ...
    privacy_request_id: uuid.UUID | None = None


class PlanLineOut(Clean):
    category: str
    label: str
    count: int
    why: str


class ErasureOut(Clean):
    patient: str
    dry_run: bool
    held: str | None = None
    can_erase: bool
    removed: list[PlanLineOut]
    kept: list[PlanLineOut]
    suppressed: list[str]
    tombstone: bool
    erasure: str | None = None


@router.post("/patients/{patient_id}/erasure", response={200: ErasureOut, **ERRORS})
def erasure(request: HttpRequest, patient_id: str, payload: ErasureIn) -> dict[str, object]:
    """``dry_run`` (the default) returns the plan: per category, what goes and what stays and
    why, and whether a legal hold blocks it. ``dry_run: false`` with a ``reason`` (one of
    ErasureReason) erases the person and puts their email and phone on the suppression list."""
    caller = caller_of(request)
    patient = selectors.patient_to_erase(caller=caller, patient_id=patient_id)
    plan = selectors.erasure_plan(caller=caller, patient=patient)
    if payload.dry_run:
        return {**plan.as_dict(), "dry_run": True}
    done = services.erase_patient(
        patient,
        by=caller,
        reason=payload.reason or "",
        privacy_request_id=payload.privacy_request_id,
    )
    # What was actually done (the same as the plan unless something changed in between).
    return {
        **plan.as_dict(),
        "dry_run": False,
        "erasure": str(done.pk),
        "removed": done_lines(done.removed, plan.removed),
        "kept": done_lines(done.kept, plan.kept, kept=True),
    }
