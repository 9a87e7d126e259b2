"""Sending due uploads: claim, send, record. Safe with any number of workers.

A worker claims due rows in a short transaction (``SELECT … FOR UPDATE SKIP
LOCKED`` on PostgreSQL; SQLite serialises writers with ``BEGIN IMMEDIATE``),
stamping ``claimed_until`` and counting the attempt, then sends outside the
transaction. Another worker's claim skips rows whose lease has not run out, so
no conversion is sent by two workers at once, and an uploaded row is never
claimed again.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from aescrm.accounts.models import Clinic
from aescrm.analytics.services import record as record_usage
from aescrm.conversions import google_ads, meta
from aescrm.conversions.http import PlatformError
from aescrm.conversions.models import (
    AdPlatformSettings,
    ConversionUpload,
    Platform,
    UploadStatus,
)
from aescrm.conversions.payloads import google_click_conversion, meta_event
from aescrm.conversions.services import reason_for, settings_of_clinic
from aescrm.core.tenancy import clinic_scope, current_clinic_id, unscoped
from aescrm.messaging import policy

logger = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=10)
# Google refuses a click less than six hours old, or a conversion action
# created less than six hours ago, and asks for the upload again after that.
GOOGLE_TOO_RECENT = frozenset({"TOO_RECENT_EVENT", "TOO_RECENT_CONVERSION_ACTION"})
GOOGLE_TOO_RECENT_WAIT = dt.timedelta(hours=6, minutes=5)
# Google already has this conversion (a send whose answer was lost, or a
# re-send after a worker died): the upload happened.
GOOGLE_ALREADY_RECORDED = frozenset({"ORDER_ID_ALREADY_IN_USE", "CLICK_CONVERSION_ALREADY_EXISTS"})
BATCH = 200
# Batches per platform per run: a backlog larger than this waits for the next run.
MAX_BATCHES = 25


def _unclaimed(now: dt.datetime) -> Q:
    return Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)


def retry_delay(attempts: int) -> dt.timedelta:
    """Exponential backoff: base, 2×base, 4×base … after the 1st, 2nd, 3rd attempt."""
    base = settings.CONVERSIONS_RETRY_BASE_SECONDS
    return dt.timedelta(seconds=base * 2 ** max(attempts - 1, 0))


def clinics_with_due_uploads(now: dt.datetime) -> list[uuid.UUID]:
    with unscoped("conversion uploads: find the clinics that have uploads due"):
        return list(
            ConversionUpload.objects.filter(status=UploadStatus.PENDING, next_attempt_at__lte=now)
            .filter(_unclaimed(now))
            .order_by()
            .values_list("clinic_id", flat=True)
            .distinct()
        )


def claim(platform: str, now: dt.datetime, limit: int = BATCH) -> list[ConversionUpload]:
    """Take up to ``limit`` due uploads of the active clinic for this worker."""
    with transaction.atomic():
        due = (
            ConversionUpload.objects.filter(
                platform=platform, status=UploadStatus.PENDING, next_attempt_at__lte=now
            )
            .filter(_unclaimed(now))
            .order_by("next_attempt_at", "created_at")
        )
        if connection.vendor == "postgresql":
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:limit])
        if not ids:
            return []
        ConversionUpload.objects.filter(pk__in=ids).update(
            claimed_until=now + LEASE, attempts=F("attempts") + 1, updated_at=now
        )
    return list(
        ConversionUpload.objects.filter(pk__in=ids)
        .select_related("event", "event__patient", "event__last_touch", "event__first_touch")
        .order_by("next_attempt_at", "created_at")
    )


def _finish(upload: ConversionUpload, **fields: object) -> None:
    fields.setdefault("claimed_until", None)
    for name, value in fields.items():
        setattr(upload, name, value)
    upload.save(update_fields=[*fields, "updated_at"])


def _uploaded(upload: ConversionUpload, now: dt.datetime, note: str = "") -> None:
    _finish(
        upload,
        status=UploadStatus.UPLOADED,
        uploaded_at=now,
        next_attempt_at=None,
        last_error=note,
    )
    record_usage("ad_upload_sent", upload.clinic_id)


def _failed(upload: ConversionUpload, message: str) -> None:
    _finish(upload, status=UploadStatus.FAILED, next_attempt_at=None, last_error=message)


def _retry_or_fail(
    upload: ConversionUpload, message: str, now: dt.datetime, delay: dt.timedelta | None = None
) -> None:
    limit = settings.CONVERSIONS_MAX_ATTEMPTS
    if upload.attempts >= limit:
        _failed(upload, f"{message} — gave up after {upload.attempts} attempts")
        return
    wait = delay if delay is not None else retry_delay(upload.attempts)
    _finish(upload, next_attempt_at=now + wait, last_error=message)


def _not_eligible(upload: ConversionUpload, reason: str) -> None:
    _finish(
        upload,
        status=UploadStatus.NOT_ELIGIBLE,
        reason=reason,
        next_attempt_at=None,
        attempts=max(upload.attempts - 1, 0),
    )


def _still_eligible(
    uploads: list[ConversionUpload], row: AdPlatformSettings | None
) -> list[ConversionUpload]:
    """Settings may have changed since the row was made: re-check before sending."""
    keep = []
    for upload in uploads:
        reason = reason_for(upload.platform, upload.event, row)
        if reason:
            _not_eligible(upload, reason)
        else:
            keep.append(upload)
    return keep


def _console(uploads: list[ConversionUpload], now: dt.datetime) -> None:
    for upload in uploads:
        logger.info("console mode: %s conversion %s not sent", upload.platform, upload.event_id)
        _finish(
            upload,
            status=UploadStatus.UPLOADED,
            uploaded_at=now,
            next_attempt_at=None,
            last_error="console mode: recorded, not sent",
        )


def send_google(
    uploads: list[ConversionUpload], row: AdPlatformSettings, clinic: Clinic, now: dt.datetime
) -> None:
    conversions = [google_click_conversion(u.event, row, clinic.tz) for u in uploads]
    try:
        refusals = google_ads.upload_click_conversions(row, conversions)
    except PlatformError as exc:
        for upload in uploads:
            if exc.retryable:
                _retry_or_fail(upload, exc.message, now)
            else:
                _failed(upload, exc.message)
        return
    for upload, refusal in zip(uploads, refusals, strict=True):
        if refusal is None:
            _uploaded(upload, now)
        elif refusal.code in GOOGLE_ALREADY_RECORDED:
            _uploaded(upload, now, note=f"Google already had this conversion ({refusal.code})")
        elif refusal.code in GOOGLE_TOO_RECENT:
            _retry_or_fail(upload, refusal.message, now, delay=GOOGLE_TOO_RECENT_WAIT)
        else:
            # Google judged this conversion itself invalid: sending it again won't help.
            _failed(upload, refusal.message)


def send_meta(uploads: list[ConversionUpload], row: AdPlatformSettings, now: dt.datetime) -> None:
    for upload in uploads:
        try:
            meta.send_event(row, meta_event(upload.event))
        except PlatformError as exc:
            if exc.retryable:
                _retry_or_fail(upload, exc.message, now)
            else:
                _failed(upload, exc.message)
        else:
            _uploaded(upload, now)


def process_clinic(now: dt.datetime | None = None) -> int:
    """Send the active clinic's due uploads; returns how many were attempted."""
    now = now or timezone.now()
    blocked = policy.account_refusal(current_clinic_id())
    if blocked is not None:
        # A read-only account shares nothing with ad platforms; uploads wait (decision 0032).
        logger.info("conversion uploads held: %s", blocked.detail)
        return 0
    row = settings_of_clinic()
    sent = 0
    for platform in (Platform.GOOGLE_ADS, Platform.META):
        for _ in range(MAX_BATCHES):
            claimed = claim(platform, now)
            if not claimed:
                break
            uploads = _still_eligible(claimed, row)
            sent += len(uploads)
            if not uploads or row is None:
                continue
            if settings.CONVERSIONS_MODE == "console":
                _console(uploads, now)
            elif platform == Platform.GOOGLE_ADS:
                clinic = Clinic.objects.get(pk=row.clinic_id)
                send_google(uploads, row, clinic, now)
            else:
                send_meta(uploads, row, now)
    return sent


def process_all(now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    total = 0
    for clinic_id in clinics_with_due_uploads(now):
        with clinic_scope(clinic_id):
            try:
                total += process_clinic(now)
            except Exception:
                # One clinic's broken data must not stop the others' uploads.
                logger.exception("conversion uploads failed for clinic %s", clinic_id)
    return total
