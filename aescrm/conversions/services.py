"""Writes: upload rows for recorded conversions, platform settings, retries."""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from aescrm.accounts.caller import Caller
from aescrm.accounts.permissions import Perm
from aescrm.attribution.models import ConversionEvent
from aescrm.audit.services import audit_record
from aescrm.conversions.models import (
    KINDS,
    AdPlatformSettings,
    ConversionUpload,
    NotEligible,
    Platform,
    UploadStatus,
)
from aescrm.conversions.payloads import credited_touch
from aescrm.core.problems import NotFound, ValidationFailed

logger = logging.getLogger(__name__)

# Meta accepts system-generated events up to seven days old.
META_MAX_AGE = dt.timedelta(days=7)
# A settings change re-checks conversions this recent that were held back
# only for want of configuration (Google accepts clicks up to 90 days old).
RECHECK_WINDOW = dt.timedelta(days=90)


def settings_of_clinic() -> AdPlatformSettings | None:
    return AdPlatformSettings.objects.first()


def person_reason(event: ConversionEvent) -> str:
    """Why nothing about this person may go to any platform ("" when it may).

    Checked before the platform rules so the record says the privacy reason. Where
    the patient never answered the ad-measurement question the visit's own consent
    answer decides, as before (docs/decisions/0009); only a withdrawal stops it.
    """
    patient = event.patient
    if patient.restricted:
        return NotEligible.RESTRICTED
    if patient.objects_to_profiling:
        return NotEligible.OBJECTED
    if patient.consent_ad_measurement is False:
        return NotEligible.CONSENT_WITHDRAWN
    return ""


def google_reason(event: ConversionEvent, row: AdPlatformSettings | None) -> str:
    """Why ``event`` cannot go to Google Ads through the API ("" when it can)."""
    if row is None or not row.google_api_ready:
        return NotEligible.NOT_CONFIGURED
    if not row.google_action_id(event.kind):
        return NotEligible.KIND_NOT_MAPPED
    touch = credited_touch(event)
    if touch is None:
        return NotEligible.NO_TOUCH
    if not touch.has_google_click:
        return NotEligible.NO_CLICK_ID
    # No marketing consent still uploads, with consent.adUserData DENIED and
    # no user identifiers: Google limits its use of the conversion.
    return ""


def meta_reason(
    event: ConversionEvent, row: AdPlatformSettings | None, now: dt.datetime | None = None
) -> str:
    """Why ``event`` cannot go to Meta ("" when it can)."""
    if row is None or not row.meta_ready:
        return NotEligible.NOT_CONFIGURED
    if not row.meta_sends(event.kind):
        return NotEligible.KIND_NOT_MAPPED
    touch = credited_touch(event)
    if touch is None:
        return NotEligible.NO_TOUCH
    if not touch.has_meta_click:
        return NotEligible.NO_CLICK_ID
    # The Conversions API has no "consent denied" flag: without marketing
    # consent nothing about the person goes to Meta at all.
    if not touch.marketing_consent:
        return NotEligible.NO_CONSENT
    if event.occurred_at < (now or timezone.now()) - META_MAX_AGE:
        return NotEligible.TOO_OLD
    return ""


def reason_for(platform: str, event: ConversionEvent, row: AdPlatformSettings | None) -> str:
    held = person_reason(event)
    if held:
        return held
    if platform == Platform.GOOGLE_ADS:
        return google_reason(event, row)
    return meta_reason(event, row)


def uploads_for_event(
    event_id: uuid.UUID, *, event: ConversionEvent | None = None
) -> list[ConversionUpload]:
    """One upload row per platform for a recorded event (in the event's clinic scope).

    Idempotent: an event that already has its rows gets nothing new (the
    unique (event, platform) constraint decides, in one statement).
    """
    now = timezone.now()
    with transaction.atomic():
        if event is None:
            event = (
                ConversionEvent.objects.select_related("last_touch", "first_touch", "patient")
                .filter(pk=event_id)
                .first()
            )
        if event is None:
            return []
        row = settings_of_clinic()
        wanted = []
        have = set(ConversionUpload.objects.filter(event=event).values_list("platform", flat=True))
        for platform in Platform.values:
            if platform in have:
                continue
            reason = reason_for(platform, event, row)
            wanted.append(
                ConversionUpload(
                    event=event,
                    platform=platform,
                    status=UploadStatus.NOT_ELIGIBLE if reason else UploadStatus.PENDING,
                    reason=reason,
                    next_attempt_at=None if reason else now,
                )
            )
        ConversionUpload.objects.bulk_create(wanted, ignore_conflicts=True)
        if any(u.status == UploadStatus.PENDING for u in wanted):
            queue_clinic_uploads(event.clinic_id)
    return wanted


def queue_clinic_uploads(clinic_id: uuid.UUID) -> None:
    """Ask the worker to send this clinic's due uploads once the transaction commits."""
    from aescrm.conversions.tasks import upload_clinic_conversions

    transaction.on_commit(lambda: upload_clinic_conversions(str(clinic_id)))


@dataclass
class SettingsInput:
    """Fields to set; a secret left as None (or "") keeps the stored one."""

    google_enabled: bool = False
    google_customer_id: str = ""
    google_login_customer_id: str = ""
    google_developer_token: str | None = None
    google_client_id: str = ""
    google_client_secret: str | None = None
    google_refresh_token: str | None = None
    google_actions: dict[str, tuple[str, str]] | None = None  # kind -> (id, name)
    feed_username: str = ""
    feed_password: str | None = None
    meta_enabled: bool = False
    meta_pixel_id: str = ""
    meta_access_token: str | None = None
    meta_test_event_code: str = ""
    meta_kinds: tuple[str, ...] = ()
    clear_secrets: tuple[str, ...] = ()


SECRET_FIELDS = (
    "google_developer_token",
    "google_client_secret",
    "google_refresh_token",
    "meta_access_token",
    "feed_password",
)
_CUSTOMER_ID = re.compile(r"^\d{3}-?\d{3}-?\d{4}$")
_DIGITS = re.compile(r"^\d+$")
# A cell starting with one of these is a formula to a spreadsheet.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def clean_customer_id(value: str, *, field: str, required: bool) -> str:
    value = (value or "").strip()
    if not value:
        if required:
            raise ValidationFailed("enter the Google Ads customer id", field=field)
        return ""
    if not _CUSTOMER_ID.match(value):
        raise ValidationFailed(
            "a Google Ads customer id is 10 digits, e.g. 123-456-7890", field=field
        )
    return value.replace("-", "")


def _clean_line(value: str, *, field: str, limit: int) -> str:
    value = (value or "").strip()
    if "\x00" in value or "\n" in value or "\r" in value:
        raise ValidationFailed(f"{field} must be one line of text", field=field)
    if len(value) > limit:
        raise ValidationFailed(f"{field} is longer than {limit} characters", field=field)
    return value


def settings_update(*, caller: Caller, data: SettingsInput) -> AdPlatformSettings:
    caller.require(Perm.CONVERSIONS_MANAGE)
    with transaction.atomic():
        row = AdPlatformSettings.objects.select_for_update().first() or AdPlatformSettings()
        changed: list[str] = []

        def put(name: str, value: Any) -> None:
            if getattr(row, name) != value:
                setattr(row, name, value)
                changed.append(name)

        put(
            "google_customer_id",
            clean_customer_id(
                data.google_customer_id,
                field="google_customer_id",
                required=data.google_enabled,
            ),
        )
        put(
            "google_login_customer_id",
            clean_customer_id(
                data.google_login_customer_id, field="google_login_customer_id", required=False
            ),
        )
        put(
            "google_client_id",
            _clean_line(data.google_client_id, field="google_client_id", limit=255),
        )
        for kind, (action_id, action_name) in (data.google_actions or {}).items():
            if kind not in KINDS:
                raise ValidationFailed(f"unknown conversion kind {kind!r}", field="google_actions")
            action_id = (action_id or "").strip()
            if action_id and not _DIGITS.match(action_id):
                raise ValidationFailed(
                    "a conversion action id is digits only",
                    field=f"google_action_{kind}_id",
                )
            name = _clean_line(action_name, field=f"google_action_{kind}_name", limit=100)
            if name.startswith(_FORMULA_START) or "," in name or '"' in name:
                raise ValidationFailed(
                    "a conversion name cannot start with = + - @ or contain commas or quotes",
                    field=f"google_action_{kind}_name",
                )
            put(f"google_action_{kind}_id", action_id[:20])
            put(f"google_action_{kind}_name", name)
        username = _clean_line(data.feed_username, field="feed_username", limit=100)
        if ":" in username:
            raise ValidationFailed("the username cannot contain a colon", field="feed_username")
        put("feed_username", username)
        pixel = (data.meta_pixel_id or "").strip()
        if pixel and not _DIGITS.match(pixel):
            raise ValidationFailed(
                "a Meta pixel (dataset) id is digits only", field="meta_pixel_id"
            )
        if data.meta_enabled and not pixel:
            raise ValidationFailed("enter the Meta pixel (dataset) id", field="meta_pixel_id")
        put("meta_pixel_id", pixel[:32])
        put(
            "meta_test_event_code",
            _clean_line(data.meta_test_event_code, field="meta_test_event_code", limit=64),
        )
        for kind in KINDS:
            put(f"meta_send_{kind}", kind in data.meta_kinds)
        for name in SECRET_FIELDS:
            value = getattr(data, name)
            if name in data.clear_secrets:
                value = ""
            elif not value:
                continue
            else:
                value = _clean_line(value, field=name, limit=2000)
            if name == "feed_password":
                if value and len(value) < 16:
                    raise ValidationFailed(
                        "use a password of at least 16 characters", field="feed_password"
                    )
                row.feed_password_hash = make_password(value) if value else ""
                changed.append("feed_password")
            else:
                setattr(row, name, value or None)
                changed.append(name)
        if data.feed_password and not row.feed_username:
            raise ValidationFailed("choose a username for the password", field="feed_username")
        put("google_enabled", data.google_enabled)
        put("meta_enabled", data.meta_enabled)
        if data.google_enabled and not row.google_api_ready:
            missing = [
                label
                for label, value in (
                    ("google_developer_token", row.google_developer_token),
                    ("google_client_id", row.google_client_id),
                    ("google_client_secret", row.google_client_secret),
                    ("google_refresh_token", row.google_refresh_token),
                )
                if not value
            ]
            raise ValidationFailed(
                "uploading to Google Ads needs " + ", ".join(missing), field=missing[0]
            )
        if data.meta_enabled and not row.meta_access_token:
            raise ValidationFailed(
                "uploading to Meta needs an access token", field="meta_access_token"
            )
        row.save()
        audit_record(
            "conversions.settings_update",
            object_type="ad_platform_settings",
            object_id=row.pk,
            detail={"fields": sorted(set(changed))},
        )
        uploads_recheck(row)
    return row


def uploads_recheck(row: AdPlatformSettings) -> int:
    """Conversions held back for want of configuration become pending once they qualify."""
    since = timezone.now() - RECHECK_WINDOW
    now = timezone.now()
    moved = 0
    held = ConversionUpload.objects.filter(
        status=UploadStatus.NOT_ELIGIBLE,
        reason__in=[NotEligible.NOT_CONFIGURED, NotEligible.KIND_NOT_MAPPED],
        event__occurred_at__gte=since,
    ).select_related("event", "event__last_touch", "event__first_touch", "event__patient")
    for upload in held:
        reason = reason_for(upload.platform, upload.event, row)
        if reason == upload.reason:
            continue
        upload.reason = reason
        upload.status = UploadStatus.NOT_ELIGIBLE if reason else UploadStatus.PENDING
        upload.next_attempt_at = None if reason else now
        upload.save(update_fields=["reason", "status", "next_attempt_at", "updated_at"])
        moved += 0 if reason else 1
    if moved:
        queue_clinic_uploads(row.clinic_id)
    return moved


def uploads_hold_for_patient(patient_id: uuid.UUID, reason: str) -> int:
    """A restriction or objection: the patient's pending uploads are not sent.

    The worker checks again before sending (``reason_for``), so an upload claimed
    at this moment is stopped there; this keeps the Conversions page truthful.
    """
    return ConversionUpload.objects.filter(
        event__patient_id=patient_id, status=UploadStatus.PENDING
    ).update(
        status=UploadStatus.NOT_ELIGIBLE,
        reason=reason,
        next_attempt_at=None,
        updated_at=timezone.now(),
    )


def uploads_release_for_patient(patient_id: uuid.UUID) -> int:
    """A lifted restriction: uploads held for it are checked again and sent if they qualify."""
    row = settings_of_clinic()
    now = timezone.now()
    moved = 0
    held = ConversionUpload.objects.filter(
        event__patient_id=patient_id,
        status=UploadStatus.NOT_ELIGIBLE,
        reason=NotEligible.RESTRICTED,
    ).select_related("event", "event__last_touch", "event__first_touch", "event__patient")
    for upload in held:
        reason = reason_for(upload.platform, upload.event, row)
        upload.reason = reason
        upload.status = UploadStatus.NOT_ELIGIBLE if reason else UploadStatus.PENDING
        upload.next_attempt_at = None if reason else now
        upload.save(update_fields=["reason", "status", "next_attempt_at", "updated_at"])
        moved += 0 if reason else 1
    if moved:
        queue_clinic_uploads(upload.clinic_id)
    return moved


def upload_retry(*, caller: Caller, upload_id: Any) -> ConversionUpload:
    """Send a failed upload again from the first attempt."""
    caller.require(Perm.CONVERSIONS_MANAGE)
    try:
        pk = uuid.UUID(str(upload_id))
    except ValueError as exc:
        raise NotFound("no such upload") from exc
    with transaction.atomic():
        upload = ConversionUpload.objects.select_for_update().filter(pk=pk).first()
        if upload is None:
            raise NotFound("no such upload")
        if upload.status != UploadStatus.FAILED:
            raise ValidationFailed("only a failed upload can be retried", field="status")
        upload.status = UploadStatus.PENDING
        upload.attempts = 0
        upload.next_attempt_at = timezone.now()
        upload.claimed_until = None
        upload.save(
            update_fields=["status", "attempts", "next_attempt_at", "claimed_until", "updated_at"]
        )
        audit_record(
            "conversions.upload_retry",
            object_type="conversion_upload",
            object_id=upload.pk,
            detail={"platform": upload.platform},
        )
        queue_clinic_uploads(upload.clinic_id)
    return upload
