"""Benchmarks only (``AESCRM_BENCH_ENDPOINTS``): the least any API create can do.

``POST /api/v1/bench/floor`` authenticates the key, counts it against its rate
limit, validates a JSON body, checks the permission, writes one row encrypted
under a patient's key with its audit entry, commits, and answers 201. `make
bench` runs it beside the bare endpoint: no real create can be cheaper, so its
ratio is the ceiling for the create and enquiry targets (decision 0015).
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.http import HttpRequest
from ninja import Router, Schema, Status

from aescrm.accounts.permissions import Perm
from aescrm.api.common import ERRORS, caller_of
from aescrm.audit.services import audit_record
from aescrm.patients.models import PatientNote

router = Router(tags=["benchmarks"])


class FloorIn(Schema):
    patient_id: uuid.UUID
    body: str


class FloorOut(Schema):
    id: uuid.UUID


@router.post("/bench/floor", response={201: FloorOut, **ERRORS})
def floor(request: HttpRequest, payload: FloorIn) -> Status[dict[str, object]]:
    caller = caller_of(request)
    caller.require(Perm.PATIENT_EDIT)
    with transaction.atomic():
        note = PatientNote.objects.create(patient_id=payload.patient_id, body=payload.body)
        audit_record("note.create", object_type="patient", object_id=payload.patient_id)
    return Status(201, {"id": note.pk})
