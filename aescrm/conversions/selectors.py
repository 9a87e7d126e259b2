"""Reads: the Google Ads import file and the uploads list."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Clinic
from aescrm.accounts.permissions import Perm
from aescrm.attribution.models import ConversionEvent
from aescrm.audit.services import audit_record
from aescrm.conversions.models import KINDS, ConversionUpload
from aescrm.conversions.payloads import CURRENCY, google_csv_time, pounds
from aescrm.conversions.services import settings_of_clinic
from aescrm.core.problems import ValidationFailed

CSV_HEADER = (
    "Google Click ID",
    "Conversion Name",
    "Conversion Time",
    "Conversion Value",
    "Conversion Currency",
)
# Google accepts clicks up to 90 days old: the default window of the file.
DEFAULT_WINDOW = dt.timedelta(days=90)
# A gclid is URL-safe base64; anything else (say "=HYPERLINK(…)") is not one.
_GCLID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]{0,499}$")


def parse_since(value: str | None, clinic: Clinic, *, field: str = "since") -> dt.datetime:
    """An ISO 8601 date (midnight in the clinic's zone) or date-time with offset."""
    if value is None or not value.strip():
        return timezone.now() - DEFAULT_WINDOW
    text = value.strip()
    if "\x00" in text or len(text) > 40:
        raise ValidationFailed(
            "since must be a date (2026-05-01) or a time (2026-05-01T09:00:00Z)", field=field
        )
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            return _in_range(dt.datetime.combine(day, dt.time(0), tzinfo=clinic.tz), field)
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError as exc:
        raise ValidationFailed(
            "since must be a date (2026-05-01) or a time (2026-05-01T09:00:00Z)", field=field
        ) from exc
    if moment.tzinfo is None:
        raise ValidationFailed("since needs a time zone offset, e.g. Z or +01:00", field=field)
    return _in_range(moment, field)


def _in_range(moment: dt.datetime, field: str) -> dt.datetime:
    try:
        moment = moment.astimezone(dt.UTC)
    except OverflowError as exc:
        raise ValidationFailed(f"{field} is out of range", field=field) from exc
    if moment.year < 1970:
        raise ValidationFailed(f"{field} must be after 1970", field=field)
    return moment


@dataclass
class ImportRow:
    gclid: str
    name: str
    time: str
    value: str
    currency: str


def google_import_rows(*, clinic: Clinic, since: dt.datetime) -> list[ImportRow]:
    """Conversions whose credited last touch carried a gclid, for mapped kinds only.

    A visitor who refused marketing consent is left out: the file has no way
    to tell Google that consent was denied (the API upload does). Where the
    site asked nothing (no consent answer) the conversion is included, as the
    API upload then says nothing either way.
    """
    row = settings_of_clinic()
    if row is None:
        return []
    names = {kind: row.google_action_name(kind) for kind in KINDS if row.google_action_name(kind)}
    if not names:
        return []
    events = (
        ConversionEvent.objects.filter(
            occurred_at__gte=since,
            kind__in=list(names),
            last_touch__has_google_click=True,
        )
        .exclude(last_touch__marketing_consent=False)
        # The person's rights (docs/decisions/0027): nothing of a restricted patient, of
        # one who objected to profiling, or who withdrew ad-measurement consent.
        .exclude(patient__restricted=True)
        .exclude(patient__objects_to_profiling=True)
        .exclude(patient__consent_ad_measurement=False)
        .select_related("last_touch")
        .order_by("occurred_at", "created_at")
    )
    rows = []
    for event in events:
        touch = event.last_touch
        gclid = (touch.gclid or "") if touch else ""
        if not _GCLID.match(gclid):
            continue  # gbraid/wbraid only, or not a click id at all
        rows.append(
            ImportRow(
                gclid=gclid,
                name=names[event.kind],
                time=google_csv_time(event.occurred_at, clinic.tz),
                value=pounds(event.value_pence),
                currency=CURRENCY,
            )
        )
    return rows


def google_import_csv(*, clinic: Clinic, since: dt.datetime, actor: str) -> str:
    """The file in Google's offline click conversion template, audited as an export."""
    rows = google_import_rows(clinic=clinic, since=since)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([f"Parameters:TimeZone={clinic.timezone}"])
    writer.writerow(CSV_HEADER)
    for item in rows:
        writer.writerow([item.gclid, item.name, item.time, item.value, item.currency])
    audit_record(
        "conversions.export",
        object_type="google_ads_import",
        detail={"rows": len(rows), "since": since.isoformat(), "via": actor},
        clinic_id=clinic.pk,
    )
    return out.getvalue()


def uploads_page(
    *, caller: Caller, status: str | None = None, limit: int = 200
) -> QuerySet[ConversionUpload]:
    caller.require(Perm.CONVERSIONS_VIEW)
    uploads = ConversionUpload.objects.select_related("event").order_by("-created_at")
    if status:
        uploads = uploads.filter(status=status)
    return uploads[:limit]


def upload_counts(*, caller: Caller) -> dict[str, Any]:
    caller.require(Perm.CONVERSIONS_VIEW)
    rows = ConversionUpload.objects.order_by().values("platform", "status").annotate(n=Count("id"))
    return {f"{r['platform']}:{r['status']}": r["n"] for r in rows}
