"""Crypto-shredding: erasure destroys the patient's own key (docs/decisions/0022)."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils import timezone

from aescrm.crypto import patient_keys
from aescrm.crypto.models import KeyDestruction


def shred_patient_key(clinic_id: uuid.UUID, patient_id: uuid.UUID) -> KeyDestruction:
    """Call inside the erasure's transaction: the key goes when (and only if) it commits."""
    pending = KeyDestruction.objects.create(clinic_id=clinic_id, patient_id=patient_id)
    transaction.on_commit(lambda: _destroy(pending.pk))
    return pending


def _destroy(pending_id: int) -> None:
    pending = KeyDestruction.objects.filter(pk=pending_id, destroyed_at__isnull=True).first()
    if pending is None:
        return
    patient_keys.destroy(pending.clinic_id, pending.patient_id)
    KeyDestruction.objects.filter(pk=pending.pk).update(destroyed_at=timezone.now())


def finish_pending() -> int:
    """Destroy the keys of erasures that committed but whose process stopped before it could."""
    done = 0
    for pending_id in KeyDestruction.objects.filter(destroyed_at__isnull=True).values_list(
        "pk", flat=True
    ):
        _destroy(pending_id)
        done += 1
    return done
