"""Benchmarks only (``AESCRM_BENCH_ENDPOINTS``): the least an API create can do.

``POST /api/v1/bench/floor`` authenticates the key and counts it against its
rate limit, validates a JSON body, finds the patient in the key's clinic, and
adds a note through the same service the notes page uses (permission check,
the note encrypted under the patient's key, its audit entry, one commit).
`make bench` runs it beside the bare endpoint: no real create can be cheaper,
so its ratio is the ceiling for the create and enquiry targets (decision
0015). Without the setting it answers 404, as if it were not there, and it is
never in the API's schema.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Schema, Status

from aescrm.api.common import ERRORS, caller_of
from aescrm.core.problems import NotFound
from aescrm.patients import selectors, services

router = Router(tags=["benchmarks"])


class FloorIn(Schema):
    patient_id: uuid.UUID
    body: str


class FloorOut(Schema):
    id: uuid.UUID


@router.post("/bench/floor", response={201: FloorOut, **ERRORS}, include_in_schema=False)
def floor(request: HttpRequest, payload: FloorIn) -> Status[dict[str, object]]:
    if not settings.AESCRM_BENCH_ENDPOINTS:
        raise NotFound("no such endpoint")
    caller = caller_of(request)
    patient = selectors.patient_get(caller=caller, patient_id=payload.patient_id, audit=False)
    note = services.note_add(caller=caller, patient=patient, body=payload.body)
    return Status(201, {"id": note.pk})
