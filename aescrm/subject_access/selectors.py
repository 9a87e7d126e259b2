"""Reads of subject-access exports (the export's contents are read only by the worker)."""

from __future__ import annotations

import uuid
from typing import Any

from aescrm.accounts.caller import Caller
from aescrm.accounts.permissions import Perm
from aescrm.core.problems import NotFound
from aescrm.subject_access.models import SubjectAccessExport

LIST_MAX = 200


def export_get(*, caller: Caller, export_id: Any) -> SubjectAccessExport:
    """The active clinic's export, or NotFound (also for other clinics' ids)."""
    caller.require(Perm.PATIENT_EXPORT)
    try:
        pk = uuid.UUID(str(export_id))
    except ValueError as exc:
        raise NotFound("no such export") from exc
    export = SubjectAccessExport.objects.filter(pk=pk, whole_clinic=False).first()
    if export is None:
        raise NotFound("no such export")
    return export


def clinic_export_get(*, caller: Caller, export_id: Any) -> SubjectAccessExport:
    """The active clinic's whole-clinic export (owners), or NotFound (also other clinics')."""
    caller.require(Perm.CLINIC_EXPORT)
    try:
        pk = uuid.UUID(str(export_id))
    except ValueError as exc:
        raise NotFound("no such export") from exc
    export = SubjectAccessExport.objects.filter(pk=pk, whole_clinic=True).first()
    if export is None:
        raise NotFound("no such export")
    return export


def clinic_export_list(*, caller: Caller) -> list[SubjectAccessExport]:
    caller.require(Perm.CLINIC_EXPORT)
    exports = SubjectAccessExport.objects.filter(whole_clinic=True).select_related("requested_by")
    return list(exports.order_by("-created_at")[:LIST_MAX])


def export_list(*, caller: Caller, patient_id: Any = None) -> list[SubjectAccessExport]:
    """The active clinic's exports, newest first (of one patient when given)."""
    caller.require(Perm.PATIENT_EXPORT)
    exports = SubjectAccessExport.objects.filter(whole_clinic=False).select_related(
        "patient", "requested_by"
    )
    if patient_id is not None:
        exports = exports.filter(patient_id=patient_id)
    return list(exports.order_by("-created_at")[:LIST_MAX])
