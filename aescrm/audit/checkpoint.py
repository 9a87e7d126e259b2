"""Signed checkpoints: where a pruned audit chain now starts.

Retention deletes a chain's oldest entries (seq 1..N). Before it does, it
appends a checkpoint entry (action ``audit.checkpoint``) whose detail holds
N, the hash of entry N and an HMAC over both under a key derived from the
master key. Verification starts after the newest valid checkpoint instead
of at the genesis hash, so the kept entries still verify link by link; a
forged or altered checkpoint fails its signature, and removing entries
without one breaks the sequence as before.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from aescrm.audit.models import AuditEntry
from aescrm.crypto.masterkey import MasterKeyError, master_keyring

ACTION = "audit.checkpoint"
OBJECT_TYPE = "audit_chain"


@dataclass(frozen=True)
class Checkpoint:
    through_seq: int
    through_hash: str


class BadCheckpoint(Exception):
    pass


def _message(chain_key: str, through_seq: int, through_hash: str) -> bytes:
    return f"aescrm-audit-checkpoint|{chain_key}|{through_seq}|{through_hash}".encode()


def sign(chain_key: str, through_seq: int, through_hash: str) -> dict[str, Any]:
    """The detail of a checkpoint entry (ids and hashes only)."""
    key = master_keyring().current
    mac = hmac.new(
        key.signing_key, _message(chain_key, through_seq, through_hash), hashlib.sha256
    ).hexdigest()
    return {
        "through_seq": through_seq,
        "through_hash": through_hash,
        "key_id": key.key_id,
        "signature": mac,
    }


def read(entry: AuditEntry, chain_key: str) -> Checkpoint:
    """The checkpoint an entry records, or ``BadCheckpoint`` if it is not genuine."""
    detail = entry.detail or {}
    try:
        seq, digest = int(detail["through_seq"]), str(detail["through_hash"])
        key = master_keyring().by_id(str(detail["key_id"]))
        given = str(detail["signature"])
    except (KeyError, TypeError, ValueError, MasterKeyError) as exc:
        raise BadCheckpoint(f"checkpoint is incomplete or its key is unknown ({exc})") from exc
    expected = hmac.new(key.signing_key, _message(chain_key, seq, digest), hashlib.sha256)
    if not hmac.compare_digest(expected.hexdigest(), given):
        raise BadCheckpoint("checkpoint signature does not match")
    if seq >= (entry.seq or 0):
        raise BadCheckpoint("checkpoint points at or after itself")
    return Checkpoint(seq, digest)
