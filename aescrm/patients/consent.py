"""The consent ledger: every grant and withdrawal is a ConsentEvent; the state is derived.

``consent_apply`` is the one writer of the ``Patient.consent_*`` flags, which are a cache
of the latest event per purpose (read by the sending policy in one row). Everything that
changes consent — the website form and chat, STOP/START, the unsubscribe link, staff,
the API, imports, an objection — comes through here (docs/decisions/0027).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from aescrm.accounts.caller import Caller
from aescrm.accounts.permissions import Perm
from aescrm.audit.services import audit_record
from aescrm.core.problems import ValidationFailed
from aescrm.patients.models import ConsentEvent, ConsentSource, Patient, Purpose

# The short keys callers use (API ``consent`` objects, forms) and what they mean.
KEY_PURPOSE = {
    "sms": Purpose.SMS_MARKETING,
    "email": Purpose.EMAIL_MARKETING,
    "phone": Purpose.PHONE_MARKETING,
    "ad_measurement": Purpose.AD_MEASUREMENT,
}
PURPOSE_KEY = {purpose: key for key, purpose in KEY_PURPOSE.items()}
MARKETING_KEYS = ("sms", "email", "phone")
CACHE_FIELD = {key: f"consent_{key}" for key in KEY_PURPOSE}
WORDING_MAX = 5000


def _wording(value: str) -> str:
    value = (value or "").strip()
    # Kept whole as evidence of what the patient agreed to: refused, not cut, when too long.
    if len(value) > WORDING_MAX:
        raise ValidationFailed(
            f"consent_wording is longer than {WORDING_MAX} characters", field="consent_wording"
        )
    if "\x00" in value:
        raise ValidationFailed("consent_wording contains a NUL character", field="consent_wording")
    return value


def consent_apply(
    patient: Patient, changes: dict[str, bool], *, source: str, wording: str, caller: Caller
) -> list[ConsentEvent]:
    """Set the cached flags for real changes; return the ledger rows to save with the patient.

    A grant that is already in force, or a withdrawal of what was never given, records
    nothing: the ledger holds changes of state.
    """
    if source not in ConsentSource.values:
        raise ValidationFailed(f"unknown consent source {source!r}", field="consent_source")
    wording = _wording(wording)
    events = []
    for key, granted in changes.items():
        if key not in KEY_PURPOSE:
            raise ValidationFailed(
                f"consent has no channel {key!r} ({', '.join(KEY_PURPOSE)})", field="consent"
            )
        attr = CACHE_FIELD[key]
        if getattr(patient, attr) == granted:
            continue
        setattr(patient, attr, granted)
        events.append(
            ConsentEvent(
                patient=patient,
                purpose=KEY_PURPOSE[key],
                channel=key if key in MARKETING_KEYS else "",
                granted=granted,
                source=source,
                wording=wording,
                recorded_by_id=caller.user_id,
            )
        )
    return events


def consent_change(
    *, caller: Caller, patient: Patient, changes: dict[str, bool], source: str, wording: str = ""
) -> list[ConsentEvent]:
    """Record consent changes for a saved patient (ledger rows, cache, audit) at once."""
    caller.require(Perm.PATIENT_EDIT)
    with transaction.atomic():
        events = consent_apply(patient, changes, source=source, wording=wording, caller=caller)
        if events:
            fields = [CACHE_FIELD[PURPOSE_KEY[Purpose(e.purpose)]] for e in events]
            patient.save(update_fields=[*fields, "updated_at"])
            ConsentEvent.objects.bulk_create(events)
            audit_record(
                "consent.change",
                object_type="patient",
                object_id=patient.pk,
                detail={
                    "purposes": {e.purpose: e.granted for e in events},
                    "source": source,
                },
            )
    return events


@dataclass
class ConsentState:
    purpose: str
    granted: bool | None
    since: Any
    source: str


def consent_state(patient: Patient) -> dict[str, ConsentState]:
    """The current state per purpose, derived from the ledger (the latest event wins)."""
    state = {p.value: ConsentState(p.value, None, None, "") for p in Purpose}
    for event in ConsentEvent.objects.filter(patient=patient).order_by("recorded_at", "id"):
        state[event.purpose] = ConsentState(
            event.purpose, event.granted, event.recorded_at, event.source
        )
    return state


def consent_ledger(patient: Patient) -> list[ConsentEvent]:
    """Every event, newest first."""
    return list(
        ConsentEvent.objects.filter(patient=patient)
        .select_related("recorded_by")
        .order_by("-recorded_at", "-id")
    )
