"""Seal audit entries into per-clinic hash chains, and verify the chains.

Sealing (run by the worker every minute, and by ``aescrm verify_audit``):

1. Lock the chain's head row (``AuditChain``), creating it at seq 0.
2. Take that chain's unsealed entries in insertion order.
3. For each: seq = head + 1, prev_hash = head hash,
   entry_hash = SHA-256(prev_hash + canonical JSON of the entry).
4. Write the seal fields (the trigger allows this once per entry) and move
   the head; commit.

Verification walks each chain in seq order and recomputes every hash. The
first entry whose content, position or predecessor does not match is named.
The head row anchors the end of the chain, so removing the newest entries
is detected too. A chain whose oldest entries retention removed is verified
from its newest signed checkpoint (``aescrm.audit.checkpoint``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from aescrm.audit import checkpoint
from aescrm.audit.models import CONTENT_FIELDS, AuditChain, AuditEntry
from aescrm.core.tenancy import unscoped

GENESIS = "0" * 64


def _canonical(entry: AuditEntry, seq: int) -> bytes:
    content: dict[str, Any] = {name: getattr(entry, name) for name in CONTENT_FIELDS}
    content["clinic_id"] = str(entry.clinic_id) if entry.clinic_id else ""
    content["occurred_at"] = entry.occurred_at.isoformat(timespec="microseconds")
    content["seq"] = seq
    return json.dumps(content, sort_keys=True, separators=(",", ":"), default=str).encode()


def entry_hash(entry: AuditEntry, seq: int, prev_hash: str) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\n" + _canonical(entry, seq)).hexdigest()


def _chain_key(clinic_id: Any) -> str:
    return str(clinic_id) if clinic_id else ""


def seal_pending(batch: int = 5000) -> int:
    """Seal every unsealed entry. Safe to run in several workers at once."""
    sealed = 0
    with unscoped("sealing the audit chains"):
        clinic_ids = set(
            AuditEntry.all_chains.filter(entry_hash="")
            .values_list("clinic_id", flat=True)
            .distinct()
        )
        for clinic_id in clinic_ids:
            sealed += _seal_chain(clinic_id, batch)
    return sealed


def seal_chain(clinic_id: Any, batch: int = 5000) -> int:
    """Seal one clinic's unsealed entries now (retention seals before it prunes)."""
    with unscoped("sealing one clinic's audit chain"):
        return _seal_chain(clinic_id, batch)


def _seal_chain(clinic_id: Any, batch: int) -> int:
    total = 0
    while True:
        with transaction.atomic():
            key = _chain_key(clinic_id)
            AuditChain.objects.get_or_create(chain_key=key)
            head = AuditChain.objects.select_for_update().get(chain_key=key)
            pending = list(
                AuditEntry.all_chains.filter(clinic_id=clinic_id, entry_hash="").order_by("id")[
                    :batch
                ]
            )
            if not pending:
                return total
            seq, prev = head.last_seq, head.last_hash
            for entry in pending:
                seq += 1
                digest = entry_hash(entry, seq, prev)
                AuditEntry.all_chains.filter(pk=entry.pk, entry_hash="").update(
                    seq=seq, prev_hash=prev, entry_hash=digest
                )
                prev = digest
            head.last_seq, head.last_hash = seq, prev
            head.save(update_fields=["last_seq", "last_hash", "updated_at"])
            total += len(pending)


@dataclass(frozen=True)
class ChainProblem:
    chain: str
    entry_id: int | None
    seq: int | None
    reason: str

    def __str__(self) -> str:
        where = f"entry {self.entry_id} (seq {self.seq})" if self.entry_id else f"seq {self.seq}"
        return f"chain {self.chain or 'platform'}: {where}: {self.reason}"


def verify_chains() -> tuple[int, list[ChainProblem]]:
    """Check every chain. Returns (entries checked, first problem of each broken chain)."""
    problems: list[ChainProblem] = []
    checked = 0
    with unscoped("verifying the audit chains"):
        heads = {h.chain_key: h for h in AuditChain.objects.all()}
        chain_keys = set(heads) | {
            _chain_key(c)
            for c in AuditEntry.all_chains.exclude(entry_hash="")
            .values_list("clinic_id", flat=True)
            .distinct()
        }
        for key in sorted(chain_keys):
            n, problem = _verify_chain(key, heads.get(key))
            checked += n
            if problem:
                problems.append(problem)
    return checked, problems


def _verify_chain(key: str, head: AuditChain | None) -> tuple[int, ChainProblem | None]:
    chain = AuditEntry.all_chains.filter(
        **({"clinic_id": key} if key else {"clinic__isnull": True})
    )
    entries = chain.exclude(entry_hash="").order_by("seq", "id")
    expected_seq, prev = 1, GENESIS
    # A pruned chain starts after its newest signed checkpoint (aescrm.audit.checkpoint).
    latest = entries.filter(action=checkpoint.ACTION).order_by("-seq").first()
    if latest is not None:
        try:
            start = checkpoint.read(latest, key)
        except checkpoint.BadCheckpoint as exc:
            return 0, ChainProblem(key, latest.pk, latest.seq, str(exc))
        expected_seq, prev = start.through_seq + 1, start.through_hash
        entries = entries.filter(seq__gte=expected_seq)
    checked = 0
    for entry in entries.iterator(chunk_size=2000):
        checked += 1
        if entry.seq != expected_seq:
            reason = (
                f"expected seq {expected_seq}: an entry before it was removed"
                if (entry.seq or 0) > expected_seq
                else "sequence number repeated or reordered"
            )
            return checked, ChainProblem(key, entry.pk, entry.seq, reason)
        if entry.prev_hash != prev:
            return checked, ChainProblem(
                key, entry.pk, entry.seq, "does not follow the entry before it"
            )
        if entry_hash(entry, expected_seq, prev) != entry.entry_hash:
            return checked, ChainProblem(
                key, entry.pk, entry.seq, "content was changed after sealing"
            )
        prev = entry.entry_hash
        expected_seq += 1
    if head is not None and (head.last_seq != expected_seq - 1 or head.last_hash != prev):
        return checked, ChainProblem(
            key,
            None,
            head.last_seq,
            f"chain ends at seq {expected_seq - 1}: newer entries were removed",
        )
    return checked, None
