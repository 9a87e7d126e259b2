"""Rectification (UK GDPR art. 16): each change of a personal field is kept as history,
and a corrected phone number or email address reaches messages not yet sent."""

from __future__ import annotations

from typing import Any

from aescrm.accounts.caller import Caller
from aescrm.patients.models import FieldChange, Patient

# The fields whose changes are kept (the personal fields of the record).
TRACKED = ("first_name", "last_name", "email", "phone", "date_of_birth", "address", "notes")
# Which outbox channel carries a field as its recipient address.
ADDRESS_CHANNEL = {"phone": "sms", "email": "email"}


def snapshot(patient: Patient) -> dict[str, Any]:
    return {field: getattr(patient, field) for field in TRACKED}


def record_changes(
    patient: Patient, before: dict[str, Any], *, caller: Caller, source: str
) -> list[FieldChange]:
    """History rows for the fields that changed since ``before`` (old values encrypted)."""
    rows = [
        FieldChange(
            patient=patient,
            field=field,
            old_value=None if old is None else str(old),
            source=source,
            changed_by_id=caller.user_id,
        )
        for field, old in before.items()
        if old != getattr(patient, field)
    ]
    FieldChange.objects.bulk_create(rows)
    return rows


def readdress_queued(patient: Patient, changed: list[FieldChange]) -> int:
    """Point the patient's unsent messages at the corrected phone number or email address.

    Only messages still waiting (status queued: due later, held for quiet hours or
    retrying); one being sent now goes to the address it was claimed with. Bodies are
    left as written: staff wrote them, and automation texts are rendered when their step
    runs, so those already use the corrected name. In the caller's transaction.
    """
    from aescrm.messaging.models import Direction, Message, Status

    moved = 0
    for change in changed:
        channel = ADDRESS_CHANNEL.get(change.field)
        if channel is None:
            continue
        waiting = Message.objects.filter(
            patient=patient, direction=Direction.OUTBOUND, channel=channel, status=Status.QUEUED
        )
        for message in waiting:
            # One by one: the address is encrypted under the clinic's key (no bulk update).
            message.to_address = getattr(patient, change.field)
            message.save(update_fields=["to_address", "updated_at"])
            moved += 1
    return moved


def field_history(patient: Patient) -> list[FieldChange]:
    """Every change, newest first."""
    return list(
        FieldChange.objects.filter(patient=patient)
        .select_related("changed_by")
        .order_by("-changed_at", "-id")
    )
