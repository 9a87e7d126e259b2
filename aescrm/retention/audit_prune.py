"""Prune a clinic's audit chain past retention, keeping the rest verifiable.

1. Seal the chain, so every entry has its place and hash.
2. The prunable part is a prefix of the chain (seq 1..N): it stops before the
   first entry still within retention, and before the first entry about a
   patient under a legal hold (what follows it is kept too, because a chain
   can only lose its beginning).
3. Append a signed checkpoint naming N and the hash of entry N, and seal it.
4. Delete entries 1..N in batches, in maintenance mode (the only mode in which
   the append-only trigger lets a row go).

Verification then starts after the checkpoint (``aescrm.audit.chain``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Min

from aescrm.audit import checkpoint
from aescrm.audit.chain import seal_chain
from aescrm.audit.guard import audit_maintenance
from aescrm.audit.models import AuditEntry
from aescrm.audit.services import audit_record


@dataclass(frozen=True)
class PrunePlan:
    removed: int
    held: int
    through_seq: int | None


def plan(
    *, clinic_id: uuid.UUID, cutoff: dt.datetime, held_patients: set[uuid.UUID], clinic_held: bool
) -> PrunePlan:
    seal_chain(clinic_id)
    chain = AuditEntry.objects.filter(clinic_id=clinic_id).exclude(entry_hash="")
    old = chain.filter(occurred_at__lt=cutoff).count()
    if clinic_held or not old:
        return PrunePlan(0, old, None)
    stops = [chain.filter(occurred_at__gte=cutoff).aggregate(m=Min("seq"))["m"]]
    if held_patients:
        about_held = chain.filter(
            object_type="patient", object_id__in=[str(p) for p in held_patients]
        )
        stops.append(about_held.aggregate(m=Min("seq"))["m"])
    stop = min((s for s in stops if s is not None), default=None)
    doomed = chain.filter(seq__lt=stop) if stop is not None else chain
    through = doomed.order_by("-seq").values_list("seq", flat=True).first()
    removed = doomed.count()
    return PrunePlan(removed, old - removed, through)


def prune(*, clinic_id: uuid.UUID, prune_plan: PrunePlan, batch: int) -> int:
    if prune_plan.through_seq is None:
        return 0
    through = prune_plan.through_seq
    last = AuditEntry.objects.get(clinic_id=clinic_id, seq=through)
    with transaction.atomic():
        audit_record(
            checkpoint.ACTION,
            object_type=checkpoint.OBJECT_TYPE,
            object_id=clinic_id,
            clinic_id=clinic_id,
            detail=checkpoint.sign(str(clinic_id), through, last.entry_hash),
        )
    seal_chain(clinic_id)
    removed = 0
    with audit_maintenance():
        while True:
            ids = list(
                AuditEntry.objects.filter(clinic_id=clinic_id, seq__lte=through)
                .order_by("seq")
                .values_list("pk", flat=True)[:batch]
            )
            if not ids:
                return removed
            with transaction.atomic():
                removed += AuditEntry.objects.filter(pk__in=ids).delete()[0]
