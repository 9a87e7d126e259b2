"""One data key per patient, kept in the key vault and wrapped by the clinic's data key.

Ciphertexts under a patient key carry the patient's id in their header, so
reading never needs to know which row belongs to whom. Destroying the key
(erasure) makes every copy of those ciphertexts unreadable — the live rows,
and the same rows in any backup of the main database (docs/decisions/0022).
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Iterable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.db import IntegrityError, transaction
from django.utils import timezone

from aescrm.crypto.errors import DecryptionError, PatientKeyDestroyed
from aescrm.keyvault.models import VAULT_DB, PatientKey

NONCE_BYTES = 12
# How long a process trusts a key it has unwrapped: after an erasure another
# process may hold the key this long, and only for rows that are gone by then.
CACHE_TTL_SECONDS = 60.0
CACHE_MAX_ENTRIES = 20_000


_lock = threading.Lock()
_cache: dict[tuple[uuid.UUID, uuid.UUID], tuple[AESGCM, float]] = {}


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def _wrap_aad(clinic_id: uuid.UUID, patient_id: uuid.UUID) -> bytes:
    return f"aescrm-patient-key|{clinic_id}|{patient_id}".encode()


def _wrap(clinic_id: uuid.UUID, patient_id: uuid.UUID, raw: bytes) -> tuple[bytes, int]:
    from aescrm.crypto import keys

    version = keys.active_data_version(clinic_id)
    nonce = os.urandom(NONCE_BYTES)
    body = keys.data_aead(clinic_id, version).encrypt(nonce, raw, _wrap_aad(clinic_id, patient_id))
    return nonce + body, version


def _unwrap(row: PatientKey) -> bytes:
    from aescrm.crypto import keys

    if row.wrapped_key is None:
        raise PatientKeyDestroyed(f"the key of patient {row.patient_id} was destroyed")
    blob = bytes(row.wrapped_key)
    try:
        return keys.data_aead(row.clinic_id, row.clinic_key_version).decrypt(
            blob[:NONCE_BYTES], blob[NONCE_BYTES:], _wrap_aad(row.clinic_id, row.patient_id)
        )
    except InvalidTag as exc:
        raise DecryptionError(f"cannot unwrap the key of patient {row.patient_id}") from exc


def _remember(clinic_id: uuid.UUID, patient_id: uuid.UUID, aead: AESGCM) -> AESGCM:
    with _lock:
        if len(_cache) >= CACHE_MAX_ENTRIES:
            _cache.clear()
        _cache[(clinic_id, patient_id)] = (aead, time.monotonic())
    return aead


def _cached(clinic_id: uuid.UUID, patient_id: uuid.UUID) -> AESGCM | None:
    hit = _cache.get((clinic_id, patient_id))
    if hit and time.monotonic() - hit[1] < CACHE_TTL_SECONDS:
        return hit[0]
    return None


def _load(clinic_id: uuid.UUID, patient_id: uuid.UUID) -> PatientKey | None:
    return PatientKey.objects.filter(clinic_id=clinic_id, patient_id=patient_id).first()


def _usable(row: PatientKey) -> AESGCM:
    if row.destroyed_at is not None:
        raise PatientKeyDestroyed(
            f"the key of patient {row.patient_id} was destroyed on "
            f"{row.destroyed_at:%Y-%m-%d} (erasure): their data cannot be read or written"
        )
    return _remember(row.clinic_id, row.patient_id, AESGCM(_unwrap(row)))


def aead_for_reading(clinic_id: uuid.UUID, patient_id: uuid.UUID) -> AESGCM:
    aead = _cached(clinic_id, patient_id)
    if aead is not None:
        return aead
    row = _load(clinic_id, patient_id)
    if row is None:
        raise PatientKeyDestroyed(
            f"no key exists for patient {patient_id}: it was never made or was erased"
        )
    return _usable(row)


def prefetch(clinic_id: uuid.UUID, patient_ids: Iterable[uuid.UUID]) -> None:
    """Unwrap the keys of a page of patients with one vault query, not one each.

    Keys already cached are skipped; destroyed or missing keys are left for
    ``aead_for_reading`` to report when a value is actually read.
    """
    wanted = {pid for pid in patient_ids if _cached(clinic_id, pid) is None}
    if len(wanted) < 2:  # one key: the lazy read is the same single query
        return
    rows = PatientKey.objects.filter(
        clinic_id=clinic_id, patient_id__in=wanted, destroyed_at__isnull=True
    )
    for row in rows:
        _usable(row)


def aead_for_writing(clinic_id: uuid.UUID, patient_id: uuid.UUID) -> AESGCM:
    """The patient's key, made on first use."""
    aead = _cached(clinic_id, patient_id)
    if aead is not None:
        return aead
    row = _load(clinic_id, patient_id)
    if row is None:
        wrapped, version = _wrap(clinic_id, patient_id, AESGCM.generate_key(bit_length=256))
        try:
            with transaction.atomic(using=VAULT_DB):
                row = PatientKey.objects.create(
                    clinic_id=clinic_id,
                    patient_id=patient_id,
                    wrapped_key=wrapped,
                    clinic_key_version=version,
                )
        except IntegrityError:  # another process made it first: use theirs
            row = _load(clinic_id, patient_id)
            assert row is not None
    return _usable(row)


def destroy(clinic_id: uuid.UUID, patient_id: uuid.UUID) -> bool:
    """Destroy the patient's key for good; leaves a tombstone. True if a key was destroyed."""
    now = timezone.now()
    with transaction.atomic(using=VAULT_DB):
        destroyed = PatientKey.objects.filter(
            clinic_id=clinic_id, patient_id=patient_id, destroyed_at__isnull=True
        ).update(wrapped_key=None, destroyed_at=now)
        if not destroyed and _load(clinic_id, patient_id) is None:
            PatientKey.objects.create(
                clinic_id=clinic_id,
                patient_id=patient_id,
                wrapped_key=None,
                clinic_key_version=0,
                destroyed_at=now,
            )
    with _lock:
        _cache.pop((clinic_id, patient_id), None)
    return bool(destroyed)


def is_destroyed(clinic_id: uuid.UUID, patient_id: uuid.UUID) -> bool:
    return PatientKey.objects.filter(
        clinic_id=clinic_id, patient_id=patient_id, destroyed_at__isnull=False
    ).exists()


def rewrap_clinic(clinic_id: uuid.UUID) -> int:
    """Re-wrap the clinic's live patient keys under its active data key (key rotation)."""
    from aescrm.crypto import keys

    version = keys.active_data_version(clinic_id)
    changed = 0
    stale = PatientKey.objects.filter(clinic_id=clinic_id, destroyed_at__isnull=True).exclude(
        clinic_key_version=version
    )
    for row in stale.iterator(chunk_size=500):
        wrapped, new_version = _wrap(clinic_id, row.patient_id, _unwrap(row))
        changed += PatientKey.objects.filter(
            pk=row.pk, clinic_key_version=row.clinic_key_version, destroyed_at__isnull=True
        ).update(wrapped_key=wrapped, clinic_key_version=new_version)
    return changed


def destroy_clinic(clinic_id: uuid.UUID) -> int:
    """Destroy every patient key of a clinic (a terminated clinic past its retention)."""
    with transaction.atomic(using=VAULT_DB):
        count = PatientKey.objects.filter(clinic_id=clinic_id, destroyed_at__isnull=True).update(
            wrapped_key=None, destroyed_at=timezone.now()
        )
    with _lock:
        for key in [k for k in _cache if k[0] == clinic_id]:
            _cache.pop(key, None)
    return count
