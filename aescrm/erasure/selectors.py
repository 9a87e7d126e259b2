"""Reads for the erasure pages and API."""

from __future__ import annotations

import uuid
from typing import Any

from aescrm.accounts.caller import Caller
from aescrm.accounts.permissions import Perm
from aescrm.audit.services import audit_record
from aescrm.core.problems import NotFound
from aescrm.erasure.models import Erasure
from aescrm.erasure.plan import ErasurePlan, plan_erasure
from aescrm.patients import selectors as patient_selectors
from aescrm.patients.models import Patient


def patient_to_erase(*, caller: Caller, patient_id: Any) -> Patient:
    """The live patient (not already erased) of the caller's clinic; NotFound otherwise."""
    caller.require(Perm.PATIENT_ERASE)
    return patient_selectors.patient_get(caller=caller, patient_id=patient_id, audit=False)


def erasure_plan(*, caller: Caller, patient: Patient) -> ErasurePlan:
    caller.require(Perm.PATIENT_ERASE)
    plan = plan_erasure(patient)
    audit_record(
        "privacy.erasure.planned",
        object_type="patient",
        object_id=patient.pk,
        detail={"removed": plan.removed_counts(), "kept": plan.kept_counts(), "held": plan.blocked},
    )
    return plan


def erasure_get(*, caller: Caller, erasure_id: Any) -> Erasure:
    caller.require(Perm.PATIENT_ERASE)
    try:
        pk = uuid.UUID(str(erasure_id))
    except ValueError as exc:
        raise NotFound("no such erasure") from exc
    found = Erasure.objects.filter(pk=pk).first()
    if found is None:
        raise NotFound("no such erasure")
    return found


def erasure_request_for(patient: Patient, raw_id: str) -> Any:
    """The open erasure request in the privacy register this erasure answers, if named."""
    from aescrm.privacy.models import OPEN_STATUSES, Kind, PrivacyRequest

    try:
        pk = uuid.UUID(str(raw_id))
    except ValueError:
        return None
    return PrivacyRequest.objects.filter(
        pk=pk, patient=patient, kind=Kind.ERASURE, status__in=OPEN_STATUSES
    ).first()
