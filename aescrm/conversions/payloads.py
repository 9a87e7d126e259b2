"""What each platform receives for one conversion event (docs/decisions/0009)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from aescrm.attribution.models import ConversionEvent, ConversionKind, Touch
from aescrm.conversions.identifiers import (
    google_hashed_email,
    google_hashed_phone,
    meta_hashed,
)
from aescrm.conversions.models import META_EVENT_NAMES, AdPlatformSettings
from aescrm.patients.models import Patient

CURRENCY = "GBP"
# Conversions come from the clinic's records (enquiries, bookings, the
# diary), not from a browser session we could describe: Meta's value for
# events a business system generates.
META_ACTION_SOURCE = "system_generated"


def credited_touch(event: ConversionEvent) -> Touch | None:
    """The touch a platform is credited through: the last touch, else the first."""
    return event.last_touch or event.first_touch


def pounds(value_pence: int) -> str:
    """2500.00 for 250000 pence, without going through floating point."""
    return f"{value_pence // 100}.{value_pence % 100:02d}"


def google_time(moment: dt.datetime, tz: zoneinfo.ZoneInfo) -> str:
    """Google's "yyyy-mm-dd hh:mm:ss+|-hh:mm" in the clinic's time zone."""
    return moment.astimezone(tz).replace(microsecond=0).isoformat(sep=" ")


def google_csv_time(moment: dt.datetime, tz: zoneinfo.ZoneInfo) -> str:
    """The import file's "yyyy-MM-dd HH:mm:ss" (its zone is in the Parameters line)."""
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")


def may_share_email(patient: Patient, touch: Touch) -> bool:
    return bool(touch.marketing_consent and patient.consent_email and patient.email)


def may_share_phone(patient: Patient, touch: Touch) -> bool:
    return bool(
        touch.marketing_consent and (patient.consent_sms or patient.consent_phone) and patient.phone
    )


def google_click_conversion(
    event: ConversionEvent, row: AdPlatformSettings, tz: zoneinfo.ZoneInfo
) -> dict[str, Any]:
    touch = credited_touch(event)
    assert touch is not None
    conversion: dict[str, Any] = {}
    for name in ("gclid", "gbraid", "wbraid"):
        value = getattr(touch, name)
        if value:
            conversion[name] = value  # exactly one click id, gclid first
            break
    conversion["conversionAction"] = (
        f"customers/{row.google_customer_id}/conversionActions/{row.google_action_id(event.kind)}"
    )
    conversion["conversionDateTime"] = google_time(event.occurred_at, tz)
    if event.value_pence:
        conversion["conversionValue"] = event.value_pence / 100
        conversion["currencyCode"] = CURRENCY
    # Google de-duplicates on the order id: a re-sent conversion is not counted twice.
    conversion["orderId"] = str(event.pk)
    if touch.marketing_consent is not None:
        # Without an answer from the site the field is left out (UNSPECIFIED).
        conversion["consent"] = {"adUserData": "GRANTED" if touch.marketing_consent else "DENIED"}
    identifiers = []
    patient = event.patient
    if may_share_email(patient, touch):
        identifiers.append({"hashedEmail": google_hashed_email(patient.email)})
    if may_share_phone(patient, touch):
        hashed = google_hashed_phone(patient.phone)
        if hashed:
            identifiers.append({"hashedPhoneNumber": hashed})
    if identifiers:
        conversion["userIdentifiers"] = identifiers
    return conversion


def meta_event(event: ConversionEvent) -> dict[str, Any]:
    touch = credited_touch(event)
    assert touch is not None
    patient = event.patient
    user_data: dict[str, Any] = {"external_id": [meta_hashed("external_id", str(patient.pk))]}
    if may_share_email(patient, touch):
        user_data["em"] = [meta_hashed("em", patient.email)]
    if may_share_phone(patient, touch):
        hashed = meta_hashed("ph", patient.phone)
        if hashed:
            user_data["ph"] = [hashed]
    if may_share_email(patient, touch) or may_share_phone(patient, touch):
        for key, value in (("fn", patient.first_name), ("ln", patient.last_name)):
            hashed = meta_hashed(key, value or "")
            if hashed:
                user_data[key] = [hashed]
    if touch.fbc:
        user_data["fbc"] = touch.fbc
    elif touch.fbclid:
        # Meta's format for a click id seen in a URL: fb.<subdomain index>.<ms>.<fbclid>.
        millis = int(touch.occurred_at.timestamp() * 1000)
        user_data["fbc"] = f"fb.1.{millis}.{touch.fbclid}"
    if touch.fbp:
        user_data["fbp"] = touch.fbp
    name = META_EVENT_NAMES[ConversionKind(event.kind)]
    payload: dict[str, Any] = {
        "event_name": name,
        "event_time": int(event.occurred_at.timestamp()),
        "event_id": str(event.pk),
        "action_source": META_ACTION_SOURCE,
        "user_data": user_data,
    }
    if name == "Purchase" or event.value_pence:
        payload["custom_data"] = {
            "value": event.value_pence / 100,
            "currency": CURRENCY,
        }
    return payload
