"""Append audit entries. The only way the application writes to the audit log."""

from __future__ import annotations

import uuid
from typing import Any

from django.utils import timezone

from aescrm.audit.context import current_actor
from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import active_clinic_id


def audit_record(
    action: str,
    *,
    object_type: str = "",
    object_id: Any = "",
    detail: dict[str, Any] | None = None,
    purpose: str = "",
    clinic_id: uuid.UUID | None = None,
    platform: bool = False,
) -> AuditEntry:
    """Append one entry for the active clinic (or the platform chain).

    ``detail`` names what was touched (field names, ids shown), never values
    of patient data.
    """
    actor = current_actor()
    cid = None if platform else (clinic_id or active_clinic_id())
    entry = AuditEntry(
        clinic_id=cid,
        occurred_at=timezone.now(),
        actor_type=actor.type,
        actor_id=actor.id,
        actor_label=actor.label[:254],
        ip=actor.ip,
        user_agent=actor.user_agent[:300],
        request_id=actor.request_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id else "",
        purpose=purpose[:200],
        detail=detail or {},
    )
    # A plain INSERT through the unscoped manager: platform entries have no
    # clinic, and the row's clinic was chosen above from the active scope.
    AuditEntry.all_chains.bulk_create([entry])
    return entry
