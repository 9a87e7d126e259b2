"""A patient's rights over the API: restriction, objection, the consent ledger, field history
(docs/decisions/0027)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import StringConstraints

from aescrm.accounts.permissions import Perm
from aescrm.api.common import ERRORS, caller_of
from aescrm.api.schemas import Strict
from aescrm.audit.services import audit_record
from aescrm.patients import consent, rectification, rights, selectors
from aescrm.patients.models import RightsDecision

router = Router(tags=["patient rights"])

Reason = Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class RestrictionIn(Strict):
    action: Literal["restrict", "lift"]
    reason: Reason


class ObjectionIn(Strict):
    kind: Literal["marketing", "profiling"]
    reason: Reason


class DecisionOut(Schema):
    id: uuid.UUID
    kind: str
    reason: str
    decided_by: str | None
    decided_at: dt.datetime
    restricted: bool
    objects_to_profiling: bool
    consent: dict[str, bool | None]


class ConsentEventOut(Schema):
    purpose: str
    granted: bool
    source: str
    wording: str
    recorded_by: str | None
    recorded_at: dt.datetime


class ConsentStateOut(Schema):
    granted: bool | None = Field(description="null: never asked or answered")
    since: dt.datetime | None
    source: str


class ConsentsOut(Schema):
    current: dict[str, ConsentStateOut] = Field(description="The latest event per purpose")
    ledger: list[ConsentEventOut] = Field(description="Every grant and withdrawal, newest first")


class FieldChangeOut(Schema):
    field: str
    old_value: str | None = Field(
        description="The value before the change; null without patient-edit access"
    )
    source: str
    changed_by: str | None
    changed_at: dt.datetime


def _user(user: object) -> str | None:
    return str(user) if user is not None else None


def _decision_out(decision: RightsDecision) -> dict[str, object]:
    patient = decision.patient
    return {
        "id": decision.pk,
        "kind": decision.kind,
        "reason": str(decision.reason or ""),
        "decided_by": _user(decision.decided_by),
        "decided_at": decision.decided_at,
        "restricted": patient.restricted,
        "objects_to_profiling": patient.objects_to_profiling,
        "consent": patient.consent_out,
    }


@router.post("/patients/{patient_id}/restriction", response={200: DecisionOut, **ERRORS})
def patient_restriction(
    request: HttpRequest, patient_id: str, payload: RestrictionIn
) -> dict[str, object]:
    """Restrict processing (art. 18: nothing is sent, scored or uploaded) or lift it."""
    caller = caller_of(request)
    caller.require(Perm.PATIENT_EDIT)
    patient = selectors.patient_get(caller=caller, patient_id=patient_id, audit=False)
    act = rights.restrict if payload.action == "restrict" else rights.lift_restriction
    return _decision_out(act(caller=caller, patient=patient, reason=payload.reason))


@router.post("/patients/{patient_id}/objection", response={200: DecisionOut, **ERRORS})
def patient_objection(
    request: HttpRequest, patient_id: str, payload: ObjectionIn
) -> dict[str, object]:
    """Record an objection (art. 21) to direct marketing or to profiling."""
    caller = caller_of(request)
    caller.require(Perm.PATIENT_EDIT)
    patient = selectors.patient_get(caller=caller, patient_id=patient_id, audit=False)
    decision = rights.object_to(
        caller=caller, patient=patient, kind=payload.kind, reason=payload.reason
    )
    return _decision_out(decision)


@router.get("/patients/{patient_id}/consents", response={200: ConsentsOut, **ERRORS})
def patient_consents(request: HttpRequest, patient_id: str) -> dict[str, object]:
    caller = caller_of(request)
    patient = selectors.patient_get(caller=caller, patient_id=patient_id, purpose="api consents")
    state = consent.consent_state(patient)
    return {
        "current": {
            purpose: {"granted": s.granted, "since": s.since, "source": s.source}
            for purpose, s in state.items()
        },
        "ledger": [
            {
                "purpose": e.purpose,
                "granted": e.granted,
                "source": e.source,
                "wording": e.wording,
                "recorded_by": _user(e.recorded_by),
                "recorded_at": e.recorded_at,
            }
            for e in consent.consent_ledger(patient)
        ],
    }


@router.get("/patients/{patient_id}/history", response={200: list[FieldChangeOut], **ERRORS})
def patient_history(request: HttpRequest, patient_id: str) -> list[dict[str, object]]:
    """Changes of the personal fields; old values only for keys that may edit patients."""
    caller = caller_of(request)
    patient = selectors.patient_get(caller=caller, patient_id=patient_id, purpose="api history")
    with_old = caller.can(Perm.PATIENT_EDIT)
    changes = rectification.field_history(patient)
    if with_old:
        audit_record(
            "patient.history_read",
            object_type="patient",
            object_id=patient.pk,
            detail={"changes": len(changes)},
        )
    return [
        {
            "field": c.field,
            "old_value": (None if c.old_value is None else str(c.old_value)) if with_old else None,
            "source": c.source,
            "changed_by": _user(c.changed_by),
            "changed_at": c.changed_at,
        }
        for c in changes
    ]
