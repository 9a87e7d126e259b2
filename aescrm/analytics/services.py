"""Recording usage events, and a member's opt-out from non-essential analytics.

``record()`` is called from the main paths of the app (sign-in, a patient
added, a reminder sent…), so it must never slow or break them: it only
schedules the write for after the caller's transaction commits, and every
error — an unknown feature, a database hiccup — is logged and swallowed.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from aescrm.analytics.features import CLINIC_FEATURES, FEATURES
from aescrm.analytics.models import AnalyticsPreference, FeatureEvent
from aescrm.audit.services import audit_record

log = logging.getLogger(__name__)


def _user_id(user: Any) -> uuid.UUID | None:
    if user is None:
        return None
    if isinstance(user, uuid.UUID):
        return user
    if getattr(user, "is_authenticated", True) is False:
        return None
    pk = getattr(user, "pk", user)
    return pk if isinstance(pk, uuid.UUID) else uuid.UUID(str(pk))


def is_opted_out(user_id: uuid.UUID) -> bool:
    return AnalyticsPreference.objects.filter(user_id=user_id, opt_out=True).exists()


class _PendingEvents:
    """The events one transaction recorded, written together once it commits: a
    request that counts two features adds one short transaction, not two."""

    def __init__(self) -> None:
        self.events: list[tuple[str, uuid.UUID, uuid.UUID | None, Any]] = []
        self.written = False

    def __call__(self) -> None:
        self.written = True
        try:
            opted_out = {
                uid for uid in {e[2] for e in self.events if e[2] is not None} if is_opted_out(uid)
            }
            rows = [
                FeatureEvent(clinic_id=cid, user_id=uid, feature=feature, occurred_at=at)
                for feature, cid, uid, at in self.events
                if uid not in opted_out
            ]
            if rows:
                with transaction.atomic():
                    FeatureEvent.objects.bulk_create(rows)
        except Exception:
            log.exception(
                "usage analytics: could not record %s",
                ", ".join(f"{feature} for clinic {cid}" for feature, cid, _, _ in self.events),
            )


def _pending() -> _PendingEvents:
    # Joins the batch already waiting on this transaction (one rolled back with an
    # inner savepoint stays counted: these are usage counts, not records).
    conn = transaction.get_connection()
    if conn.in_atomic_block:
        for entry in conn.run_on_commit:
            if isinstance(entry[1], _PendingEvents) and not entry[1].written:
                return entry[1]
    batch = _PendingEvents()
    if conn.in_atomic_block:
        transaction.on_commit(batch)
    return batch


def record(feature: str, clinic_id: Any, user: Any = None) -> None:
    """Count one use of ``feature`` by ``clinic_id`` (and ``user``, a member), once the
    caller's transaction commits. Never raises; never stores anything about a patient."""
    try:
        if feature not in FEATURES:
            raise ValueError(f"{feature!r} is not in the analytics vocabulary")
        cid = clinic_id if isinstance(clinic_id, uuid.UUID) else uuid.UUID(str(clinic_id))
        # Clinic events are the service at work, never tied to a person.
        uid = None if feature in CLINIC_FEATURES else _user_id(user)
        batch = _pending()
        batch.events.append((feature, cid, uid, timezone.now()))
        if not transaction.get_connection().in_atomic_block:
            batch()  # no transaction to wait for
    except Exception:
        log.exception("usage analytics: could not record %s for clinic %s", feature, clinic_id)


def set_opt_out(*, user: Any, opt_out: bool) -> AnalyticsPreference:
    """The member's own choice. Opting out also unlinks the raw events already kept
    about them from their account (the clinic's counts stay; no one is identifiable)."""
    with transaction.atomic():
        preference, _ = AnalyticsPreference.objects.update_or_create(
            user_id=user.pk, defaults={"opt_out": opt_out}
        )
        unlinked = usage_unlink(user) if opt_out else 0
        audit_record(
            "analytics.opt_out" if opt_out else "analytics.opt_in",
            object_type="user",
            object_id=user.pk,
            detail={"events_unlinked": unlinked},
            platform=True,
        )
    return preference


def usage_unlink(user: Any) -> int:
    """Detach the member's raw events from their account (opting out, closing it); the
    clinic's counts stay and name no one. The number of events unlinked."""
    return FeatureEvent.objects.filter(user_id=user.pk).update(user=None)


def usage_export(user: Any) -> dict[str, Any]:
    """The member's usage analytics for their account export: their choice and the raw
    events still linked to them (older ones are only daily counts naming no one)."""
    return {
        "opted_out": is_opted_out(user.pk),
        "events": [
            {"feature": feature, "clinic_id": str(clinic_id), "at": at.isoformat()}
            for feature, clinic_id, at in FeatureEvent.objects.filter(user_id=user.pk)
            .order_by("occurred_at")
            .values_list("feature", "clinic_id", "occurred_at")
        ],
    }
