"""What an uploaded conversion told the ad platform, rebuilt from the record.

The platforms' payloads are not stored (they hold hashed identifiers and are
rebuilt on every attempt), so the export rebuilds the one that was sent with
the same code that sent it. Identifiers follow the record as it is now: a
detail changed since the upload shows as it is today (docs/decisions/0024).
"""

from __future__ import annotations

from typing import Any

from aescrm.accounts.models import Clinic
from aescrm.conversions.models import AdPlatformSettings, ConversionUpload, Platform, UploadStatus
from aescrm.conversions.payloads import credited_touch, google_click_conversion, meta_event
from aescrm.core.tenancy import current_clinic_id


def sent_payload(upload: ConversionUpload) -> dict[str, Any] | None:
    """The event as the platform received it; None when nothing was sent."""
    if upload.status != UploadStatus.UPLOADED or credited_touch(upload.event) is None:
        return None
    if upload.platform == Platform.META:
        return meta_event(upload.event)
    row = AdPlatformSettings.objects.first()
    if row is None:
        return None
    tz = Clinic.objects.get(pk=current_clinic_id()).tz
    return google_click_conversion(upload.event, row, tz)
