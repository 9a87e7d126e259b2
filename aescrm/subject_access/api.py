"""JSON API: start a patient's subject-access export and follow it to its download link.

Both need the ``patients:export`` scope, and starting one ``patients:read`` too
(it reads the patient). ``GET`` starts an export as issue 7 asks; ``POST`` does
the same. While one with the same choice is still being prepared, it is returned
instead of a second.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema, Status

from aescrm.accounts.caller import Caller
from aescrm.accounts.permissions import Perm
from aescrm.api.common import ERRORS, caller_of
from aescrm.api.schemas import Problem
from aescrm.core.problems import Conflict
from aescrm.patients import selectors as patient_selectors
from aescrm.subject_access import selectors, services
from aescrm.subject_access.models import ExportStatus, SubjectAccessExport

router = Router(tags=["subject access"])
RESPONSES: dict[int, Any] = {**ERRORS, 410: Problem}


class ExportOut(Schema):
    id: uuid.UUID
    patient_id: uuid.UUID | None
    status: str
    include_access_log: bool
    created_at: dt.datetime
    ready_at: dt.datetime | None
    expires_at: dt.datetime
    downloaded_at: dt.datetime | None
    size: int
    status_url: str
    # Ready exports only: a fresh single-use link (each status read replaces the last one).
    download_url: str | None = None


def export_out(
    request: HttpRequest, export: SubjectAccessExport, token: str | None = None
) -> dict[str, Any]:
    return {
        "id": export.pk,
        "patient_id": export.patient_id,
        "status": export.status,
        "include_access_log": export.include_access_log,
        "created_at": export.created_at,
        "ready_at": export.ready_at,
        "expires_at": export.expires_at,
        "downloaded_at": export.downloaded_at,
        "size": export.size,
        "status_url": request.build_absolute_uri(f"/api/v1/exports/{export.pk}"),
        "download_url": request.build_absolute_uri(reverse("subject_access:download", args=[token]))
        if token
        else None,
    }


@router.api_operation(
    ["GET", "POST"], "/patients/{patient_id}/export", response={202: ExportOut, **RESPONSES}
)
def start_export(
    request: HttpRequest, patient_id: str, include_access_log: bool = False
) -> Status[dict[str, Any]]:
    caller = caller_of(request)
    caller.require(Perm.PATIENT_EXPORT)
    patient = patient_selectors.patient_get(caller=caller, patient_id=patient_id, audit=False)
    export = services.export_request(
        caller=caller, patient=patient, include_access_log=include_access_log
    )
    export.refresh_from_db()  # the worker may have built it already
    return Status(202, export_out(request, export))


@router.get("/exports/{export_id}", response={200: ExportOut, **RESPONSES})
def get_export(request: HttpRequest, export_id: str) -> dict[str, Any]:
    caller = caller_of(request)
    export = selectors.export_get(caller=caller, export_id=export_id)
    return export_out(request, export, _fresh_link(caller, export))


def _fresh_link(caller: Caller, export: SubjectAccessExport) -> str | None:
    """A new single-use link for a ready export (refreshing ``export``); None otherwise."""
    if export.status != ExportStatus.READY:
        return None
    token = None
    # Expired just now: no link, and the status the caller shows says so.
    with contextlib.suppress(Conflict):
        token = services.export_link(caller=caller, export=export)
    export.refresh_from_db()
    return token


class ClinicExportOut(Schema):
    id: uuid.UUID
    status: str
    created_at: dt.datetime
    ready_at: dt.datetime | None
    expires_at: dt.datetime
    downloaded_at: dt.datetime | None
    size: int
    status_url: str
    # Ready exports only: a fresh single-use link (each status read replaces the last one).
    download_url: str | None = None


def clinic_export_out(
    request: HttpRequest, export: SubjectAccessExport, token: str | None = None
) -> dict[str, Any]:
    out = export_out(request, export, token)
    del out["patient_id"], out["include_access_log"]
    out["status_url"] = request.build_absolute_uri(f"/api/v1/clinic/export/{export.pk}")
    return out


@router.post("/clinic/export", response={202: ClinicExportOut, **RESPONSES})
def start_clinic_export(request: HttpRequest) -> Status[dict[str, Any]]:
    """Export all of the clinic's data (scope ``clinic:export``); also on a read-only account."""
    caller = caller_of(request)
    export = services.clinic_export_request(caller=caller)
    export.refresh_from_db()  # the worker may have built it already
    return Status(202, clinic_export_out(request, export))


@router.get("/clinic/export/{export_id}", response={200: ClinicExportOut, **RESPONSES})
def get_clinic_export(request: HttpRequest, export_id: str) -> dict[str, Any]:
    caller = caller_of(request)
    export = selectors.clinic_export_get(caller=caller, export_id=export_id)
    return clinic_export_out(request, export, _fresh_link(caller, export))
