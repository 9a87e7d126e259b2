"""The master key (from the environment) that wraps every clinic's data keys."""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
from dataclasses import dataclass, field
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


class MasterKeyError(Exception):
    pass


@dataclass(frozen=True)
class MasterKey:
    key_id: str
    aead: AESGCM
    # Derived (HKDF) key for signing platform records such as audit checkpoints;
    # never used for encryption, so a signature reveals nothing about ``aead``.
    signing_key: bytes = field(default=b"", repr=False)


def generate_master_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def _parse(value: str, name: str) -> MasterKey:
    try:
        raw = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise MasterKeyError(f"{name} is not valid base64") from exc
    if len(raw) != 32:
        raise MasterKeyError(f"{name} must be 32 bytes (base64 of 32 random bytes), got {len(raw)}")
    key_id = hashlib.sha256(b"aescrm-master-key-id" + raw).hexdigest()[:16]
    signing = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"aescrm-signing-v1"
    ).derive(raw)
    return MasterKey(key_id=key_id, aead=AESGCM(raw), signing_key=signing)


@dataclass(frozen=True)
class MasterKeyring:
    current: MasterKey
    previous: tuple[MasterKey, ...]

    def by_id(self, key_id: str) -> MasterKey:
        for key in (self.current, *self.previous):
            if key.key_id == key_id:
                return key
        raise MasterKeyError(
            f"data key is wrapped by master key {key_id}, which is neither AESCRM_MASTER_KEY "
            "nor in AESCRM_OLD_MASTER_KEYS"
        )


@lru_cache(maxsize=1)
def master_keyring() -> MasterKeyring:
    value = settings.AESCRM_MASTER_KEY
    if not value:
        raise MasterKeyError(
            "AESCRM_MASTER_KEY (or AESCRM_MASTER_KEY_FILE) is not set; "
            "create one with `aescrm generate_master_key`"
        )
    previous = tuple(
        _parse(v, f"AESCRM_OLD_MASTER_KEYS[{i}]")
        for i, v in enumerate(settings.AESCRM_OLD_MASTER_KEYS)
    )
    return MasterKeyring(current=_parse(value, "AESCRM_MASTER_KEY"), previous=previous)
