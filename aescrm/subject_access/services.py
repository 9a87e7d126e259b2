"""Subject-access exports: request, build (worker), issue a link, download once, expire.

1. ``export_request`` records a queued export and queues the worker on commit.
2. ``export_generate`` (the worker) builds the zip in the patient's clinic
   scope and keeps it encrypted on the row; the export is then ready for
   ``SAR_EXPORT_LINK_DAYS``.
3. ``export_link`` issues a fresh download token (only its hash is kept, so
   each call replaces the previous link).
4. ``export_download`` serves the zip once: a conditional update moves it from
   ready to downloaded and wipes the payload; a second use, or one after the
   expiry, is ``Gone``.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import logging
import secrets
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from aescrm.accounts.caller import Caller
from aescrm.accounts.permissions import Perm
from aescrm.audit.services import audit_record
from aescrm.core.problems import Conflict, DomainError, NotFound
from aescrm.core.tenancy import clinic_scope, current_clinic_id, unscoped
from aescrm.patients.models import Patient
from aescrm.subject_access.export import build_export
from aescrm.subject_access.models import ExportStatus, SubjectAccessExport

logger = logging.getLogger(__name__)
OBJECT_TYPE = "subject_access_export"


class Gone(DomainError):
    status = 410
    title = "Gone"
    type_slug = "gone"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _link_lifetime() -> dt.timedelta:
    return dt.timedelta(days=settings.SAR_EXPORT_LINK_DAYS)


def export_request(
    *,
    caller: Caller,
    patient: Patient,
    include_access_log: bool,
    privacy_request_id: uuid.UUID | None = None,
) -> SubjectAccessExport:
    """Queue an export of everything held about ``patient``.

    A second request with the same choice while one is still being prepared
    returns that one (the API starts exports with GET, which may be repeated).
    """
    caller.require(Perm.PATIENT_EXPORT)
    with transaction.atomic():
        pending = SubjectAccessExport.objects.filter(
            patient=patient, status=ExportStatus.QUEUED, include_access_log=include_access_log
        ).first()
        if pending is not None:
            return pending
        export = SubjectAccessExport.objects.create(
            patient=patient,
            include_access_log=include_access_log,
            privacy_request_id=privacy_request_id,
            requested_by_id=caller.user_id,
            requested_by_key_id=caller.api_key_id,
            expires_at=timezone.now() + _link_lifetime(),
        )
        audit_record(
            "subject_access.export.created",
            object_type=OBJECT_TYPE,
            object_id=export.pk,
            detail={"patient": str(patient.pk), "include_access_log": include_access_log},
        )
        clinic_id = current_clinic_id()
        transaction.on_commit(lambda: _queue(clinic_id, export.pk))
    return export


def clinic_export_request(*, caller: Caller) -> SubjectAccessExport:
    """Queue an export of all the clinic's data (owners; works on a read-only account).

    While one is being prepared, that one is returned instead of a second.
    """
    caller.require(Perm.CLINIC_EXPORT)
    with transaction.atomic():
        pending = SubjectAccessExport.objects.filter(
            whole_clinic=True, status=ExportStatus.QUEUED
        ).first()
        if pending is not None:
            return pending
        export = SubjectAccessExport.objects.create(
            whole_clinic=True,
            requested_by_id=caller.user_id,
            requested_by_key_id=caller.api_key_id,
            expires_at=timezone.now() + _link_lifetime(),
        )
        audit_record("clinic_export.created", object_type=OBJECT_TYPE, object_id=export.pk)
        clinic_id = current_clinic_id()
        transaction.on_commit(lambda: _queue(clinic_id, export.pk))
    return export


def _queue(clinic_id: uuid.UUID, export_id: uuid.UUID) -> None:
    from aescrm.subject_access.tasks import generate_export

    generate_export(str(clinic_id), str(export_id))


def export_generate(export_id: uuid.UUID, *, now: dt.datetime | None = None) -> bool:
    """Build a queued export of the active clinic; False if it was not queued (done already)."""
    export = SubjectAccessExport.objects.filter(pk=export_id, status=ExportStatus.QUEUED).first()
    if export is None:
        return False
    if export.whole_clinic:
        return _generate_clinic(export, now)
    patient = Patient.objects.filter(pk=export.patient_id).first() if export.patient_id else None
    if patient is None:
        _fail(export, "patient no longer held")
        return True
    try:
        archive = build_export(patient, include_access_log=export.include_access_log, now=now)
    except Exception as exc:  # the row must say it failed, whatever went wrong
        logger.exception("subject-access export %s failed", export.pk)
        _fail(export, type(exc).__name__)
        return True
    return _store(
        export,
        archive,
        now,
        "subject_access.export.ready",
        {"patient": str(patient.pk), "size": len(archive)},
    )


def _generate_clinic(export: SubjectAccessExport, now: dt.datetime | None) -> bool:
    from aescrm.subject_access.clinic_export import build_clinic_export

    try:
        archive, counts = build_clinic_export(now=now)
    except Exception as exc:  # the row must say it failed, whatever went wrong
        logger.exception("clinic export %s failed", export.pk)
        _fail(export, type(exc).__name__)
        return True
    # Counts only: what the file holds is the clinic's data, not the audit log's.
    return _store(
        export, archive, now, "clinic_export.ready", {"size": len(archive), "counts": counts}
    )


def _store(
    export: SubjectAccessExport,
    archive: bytes,
    now: dt.datetime | None,
    action: str,
    detail: dict[str, object],
) -> bool:
    """Keep the built zip encrypted on the row and mark it ready; False if done already."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            SubjectAccessExport.objects.select_for_update()
            .filter(pk=export.pk, status=ExportStatus.QUEUED)
            .first()
        )
        if locked is None:
            return False  # another worker finished it first
        locked.payload = base64.b64encode(archive).decode()
        locked.size = len(archive)
        locked.status = ExportStatus.READY
        locked.ready_at = now
        locked.expires_at = now + _link_lifetime()
        locked.save(update_fields=["payload", "size", "status", "ready_at", "expires_at"])
        audit_record(action, object_type=OBJECT_TYPE, object_id=export.pk, detail=detail)
    return True


def _fail(export: SubjectAccessExport, reason: str) -> None:
    SubjectAccessExport.objects.filter(pk=export.pk, status=ExportStatus.QUEUED).update(
        status=ExportStatus.FAILED, error=reason[:200]
    )
    audit_record(
        "clinic_export.failed" if export.whole_clinic else "subject_access.export.failed",
        object_type=OBJECT_TYPE,
        object_id=export.pk,
        detail={"patient": str(export.patient_id or ""), "reason": reason[:200]},
    )


def _expire(export: SubjectAccessExport, now: dt.datetime) -> None:
    updated = SubjectAccessExport.objects.filter(
        pk=export.pk, status=ExportStatus.READY, expires_at__lte=now
    ).update(status=ExportStatus.EXPIRED, payload=None)
    if updated:
        export.status = ExportStatus.EXPIRED
        audit_record(
            "subject_access.export.expired",
            object_type=OBJECT_TYPE,
            object_id=export.pk,
            detail={"patient": str(export.patient_id or "")},
        )


def export_link(
    *, caller: Caller, export: SubjectAccessExport, now: dt.datetime | None = None
) -> str:
    """A new single-use download token for a ready export (the previous one stops working)."""
    caller.require(Perm.CLINIC_EXPORT if export.whole_clinic else Perm.PATIENT_EXPORT)
    now = now or timezone.now()
    if export.status == ExportStatus.READY and export.expires_at <= now:
        _expire(export, now)
    if export.status != ExportStatus.READY:
        raise Conflict(f"the export is {export.get_status_display().lower()}, not ready")
    token = secrets.token_urlsafe(32)
    SubjectAccessExport.objects.filter(pk=export.pk).update(token_hash=token_hash(token))
    audit_record(
        "subject_access.export.link_issued",
        object_type=OBJECT_TYPE,
        object_id=export.pk,
        detail={
            "patient": str(export.patient_id or ""),
            "expires_at": export.expires_at.isoformat(),
        },
    )
    return token


@dataclass
class Download:
    export: SubjectAccessExport
    archive: bytes


def export_download(token: str, *, now: dt.datetime | None = None) -> Download:
    """The zip, once. NotFound for an unknown token; Gone once used or expired."""
    now = now or timezone.now()
    digest = token_hash(token)
    with unscoped("subject-access download: find the export by its token hash"):
        found = (
            SubjectAccessExport.objects.filter(token_hash=digest)
            .values_list("pk", "clinic_id")
            .first()
        )
    if found is None:
        raise NotFound("no such download link")
    export_id, clinic_id = found
    with clinic_scope(clinic_id):
        export = SubjectAccessExport.objects.get(pk=export_id)
        if export.status == ExportStatus.READY and export.expires_at <= now:
            _expire(export, now)
        if export.status != ExportStatus.READY or not export.payload:
            raise Gone("this download link has been used or has expired")
        archive = base64.b64decode(export.payload)
        with transaction.atomic():
            # Only one request wins the ready -> downloaded step; the payload goes with it.
            won = SubjectAccessExport.objects.filter(
                pk=export.pk, status=ExportStatus.READY, token_hash=digest
            ).update(status=ExportStatus.DOWNLOADED, downloaded_at=now, payload=None)
            if not won:
                raise Gone("this download link has been used or has expired")
            audit_record(
                "subject_access.export.downloaded",
                object_type=OBJECT_TYPE,
                object_id=export.pk,
                detail={"patient": str(export.patient_id or ""), "size": len(archive)},
            )
        export.status, export.downloaded_at = ExportStatus.DOWNLOADED, now
    return Download(export, archive)


def expire_exports(now: dt.datetime | None = None) -> int:
    """Wipe the active clinic's ready exports past their expiry; how many."""
    now = now or timezone.now()
    count = 0
    for export in SubjectAccessExport.objects.filter(
        status=ExportStatus.READY, expires_at__lte=now
    ):
        _expire(export, now)
        count += export.status == ExportStatus.EXPIRED
    return count
