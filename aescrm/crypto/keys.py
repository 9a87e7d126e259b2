"""Per-clinic keys: envelope encryption and blind indexes.

Layout of a ciphertext under the clinic key: ``b"\\x01" + key_version (4
bytes, big-endian) + nonce (12 bytes) + AES-256-GCM ciphertext and tag``;
under a patient's own key (docs/decisions/0022): ``b"\\x02" + patient id (16
bytes) + nonce + ciphertext and tag``. The associated data binds it to its
clinic, table, column and row, so a ciphertext copied to another row or
clinic fails to decrypt.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import struct
import threading
import time
import uuid
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.db import transaction
from django.utils import timezone

from aescrm.crypto import patient_keys
from aescrm.crypto.errors import DecryptionError
from aescrm.crypto.masterkey import master_keyring
from aescrm.crypto.models import ClinicKey

FORMAT_V1 = 1
FORMAT_PATIENT = 2
_HEADER = struct.Struct(">BI")
NONCE_BYTES = 12
# How long a process trusts its idea of which data key version is active.
ACTIVE_VERSION_TTL_SECONDS = 60.0


@dataclass(frozen=True)
class _Unwrapped:
    version: int
    key: bytes


_lock = threading.Lock()
_aeads: dict[tuple[uuid.UUID, int], AESGCM] = {}
_index_keys: dict[uuid.UUID, bytes] = {}
_active: dict[uuid.UUID, tuple[int, float]] = {}


def clear_key_cache() -> None:
    with _lock:
        _aeads.clear()
        _index_keys.clear()
        _active.clear()
    patient_keys.clear_cache()


def _wrap_aad(clinic_id: uuid.UUID, purpose: str, version: int) -> bytes:
    return f"aescrm-clinic-key|{clinic_id}|{purpose}|{version}".encode()


def wrap_key(clinic_id: uuid.UUID, purpose: str, version: int, raw: bytes) -> tuple[bytes, str]:
    master = master_keyring().current
    nonce = os.urandom(NONCE_BYTES)
    wrapped = nonce + master.aead.encrypt(nonce, raw, _wrap_aad(clinic_id, purpose, version))
    return wrapped, master.key_id


def unwrap_key(row: ClinicKey) -> bytes:
    master = master_keyring().by_id(row.master_key_id)
    blob = bytes(row.wrapped_key)
    try:
        return master.aead.decrypt(
            blob[:NONCE_BYTES],
            blob[NONCE_BYTES:],
            _wrap_aad(row.clinic_id, row.purpose, row.version),
        )
    except InvalidTag as exc:
        raise DecryptionError(f"cannot unwrap {row}") from exc


def create_clinic_keys(clinic_id: uuid.UUID) -> None:
    """Give a new clinic its data key and blind-index key (idempotent)."""
    for purpose in (ClinicKey.Purpose.DATA, ClinicKey.Purpose.INDEX):
        if ClinicKey.objects.filter(clinic_id=clinic_id, purpose=purpose).exists():
            continue
        wrapped, master_id = wrap_key(clinic_id, purpose, 1, os.urandom(32))
        ClinicKey.objects.create(
            clinic_id=clinic_id,
            purpose=purpose,
            version=1,
            wrapped_key=wrapped,
            master_key_id=master_id,
        )


def add_data_key_version(clinic_id: uuid.UUID) -> int:
    """Create a fresh data key and make it the one new ciphertexts use."""
    with transaction.atomic():
        current = (
            ClinicKey.objects.select_for_update()
            .filter(clinic_id=clinic_id, purpose=ClinicKey.Purpose.DATA)
            .order_by("-version")
            .first()
        )
        version = (current.version if current else 0) + 1
        ClinicKey.objects.filter(clinic_id=clinic_id, purpose=ClinicKey.Purpose.DATA).update(
            active=False
        )
        wrapped, master_id = wrap_key(clinic_id, ClinicKey.Purpose.DATA, version, os.urandom(32))
        ClinicKey.objects.create(
            clinic_id=clinic_id,
            purpose=ClinicKey.Purpose.DATA,
            version=version,
            wrapped_key=wrapped,
            master_key_id=master_id,
        )
    with _lock:
        _active.pop(clinic_id, None)
    return version


def rewrap_all() -> int:
    """Re-wrap every clinic key under the current master key. Returns how many changed."""
    current_id = master_keyring().current.key_id
    changed = 0
    for row in ClinicKey.objects.exclude(master_key_id=current_id).order_by("pk"):
        raw = unwrap_key(row)
        wrapped, master_id = wrap_key(row.clinic_id, row.purpose, row.version, raw)
        updated = ClinicKey.objects.filter(pk=row.pk, master_key_id=row.master_key_id).update(
            wrapped_key=wrapped, master_key_id=master_id, rewrapped_at=timezone.now()
        )
        changed += updated
    return changed


def data_aead(clinic_id: uuid.UUID, version: int) -> AESGCM:
    aead = _aeads.get((clinic_id, version))
    if aead is None:
        row = ClinicKey.objects.filter(
            clinic_id=clinic_id, purpose=ClinicKey.Purpose.DATA, version=version
        ).first()
        if row is None:
            # Destroyed by retention (crypto-shredding) or never existed.
            raise DecryptionError(f"data key v{version} of clinic {clinic_id} does not exist")
        aead = AESGCM(unwrap_key(row))
        with _lock:
            _aeads[(clinic_id, version)] = aead
    return aead


def active_data_version(clinic_id: uuid.UUID) -> int:
    cached = _active.get(clinic_id)
    now = time.monotonic()
    if cached and now - cached[1] < ACTIVE_VERSION_TTL_SECONDS:
        return cached[0]
    version = (
        ClinicKey.objects.filter(clinic_id=clinic_id, purpose=ClinicKey.Purpose.DATA, active=True)
        .values_list("version", flat=True)
        .get()
    )
    with _lock:
        _active[clinic_id] = (version, now)
    return version


def encrypt(
    clinic_id: uuid.UUID, aad: bytes, plaintext: str, patient_id: uuid.UUID | None = None
) -> bytes:
    """Encrypt under the patient's own key when the value is about a patient."""
    nonce = os.urandom(NONCE_BYTES)
    if patient_id is not None:
        # A foreign key set from a string stays a string until the row is re-read.
        patient_id = patient_id if isinstance(patient_id, uuid.UUID) else uuid.UUID(str(patient_id))
        aead = patient_keys.aead_for_writing(clinic_id, patient_id)
        body = aead.encrypt(nonce, plaintext.encode(), aad)
        return bytes([FORMAT_PATIENT]) + patient_id.bytes + nonce + body
    version = active_data_version(clinic_id)
    body = data_aead(clinic_id, version).encrypt(nonce, plaintext.encode(), aad)
    return _HEADER.pack(FORMAT_V1, version) + nonce + body


def ciphertext_format(blob: bytes) -> int:
    return blob[0]


def ciphertext_patient(blob: bytes) -> uuid.UUID | None:
    """Whose key a ciphertext is under (None: the clinic's)."""
    if blob[0] != FORMAT_PATIENT:
        return None
    return uuid.UUID(bytes=bytes(blob[1:17]))


def ciphertext_version(blob: bytes) -> int:
    fmt, version = _HEADER.unpack_from(blob)
    if fmt != FORMAT_V1:
        raise DecryptionError(f"ciphertext format {fmt} has no clinic key version")
    return int(version)


def decrypt(clinic_id: uuid.UUID, aad: bytes, blob: bytes) -> str:
    fmt = blob[0]
    patient_id = ciphertext_patient(blob)
    if patient_id is not None:
        aead = patient_keys.aead_for_reading(clinic_id, patient_id)
        offset = 17
    elif fmt == FORMAT_V1:
        aead = data_aead(clinic_id, ciphertext_version(blob))
        offset = _HEADER.size
    else:
        raise DecryptionError(f"unknown ciphertext format {fmt}")
    nonce, body = blob[offset : offset + NONCE_BYTES], blob[offset + NONCE_BYTES :]
    try:
        return aead.decrypt(nonce, body, aad).decode()
    except InvalidTag as exc:
        raise DecryptionError("ciphertext does not belong to this clinic, row and column") from exc


def _index_key(clinic_id: uuid.UUID) -> bytes:
    key = _index_keys.get(clinic_id)
    if key is None:
        row = ClinicKey.objects.get(
            clinic_id=clinic_id, purpose=ClinicKey.Purpose.INDEX, active=True
        )
        key = unwrap_key(row)
        with _lock:
            _index_keys[clinic_id] = key
    return key


def blind_index(clinic_id: uuid.UUID, kind: str, normalised: str) -> str:
    """Keyed hash of a normalised value, for exact lookup without decryption."""
    message = f"{kind}\x00{normalised}".encode()
    return hmac.new(_index_key(clinic_id), message, hashlib.sha256).hexdigest()


def search_token(clinic_id: uuid.UUID, gram: str) -> bytes:
    """A short keyed hash of one search gram (see docs/decisions/0003)."""
    return hmac.new(_index_key(clinic_id), b"gram\x00" + gram.encode(), hashlib.sha256).digest()[:8]
