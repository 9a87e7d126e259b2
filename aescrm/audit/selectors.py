from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from aescrm.audit.models import AuditEntry
from aescrm.audit.services import audit_record
from aescrm.core.problems import ValidationFailed


@dataclass
class AuditPage:
    entries: list[AuditEntry]
    next_before: int | None


def audit_entries(
    *,
    action: str | None = None,
    object_id: str | None = None,
    actor: str | None = None,
    before: int | None = None,
) -> QuerySet[AuditEntry]:
    """The active clinic's entries matching the filters, newest first (not audited)."""
    entries = AuditEntry.objects.order_by("-id")
    if action:
        entries = entries.filter(action__startswith=action)
    if object_id:
        entries = entries.filter(object_id=object_id)
    if actor:
        entries = entries.filter(actor_label__icontains=actor)
    if before:
        entries = entries.filter(id__lt=before)
    return entries


def audit_page(
    *,
    action: str | None = None,
    object_id: str | None = None,
    actor: str | None = None,
    before: int | None = None,
    limit: int = 100,
) -> AuditPage:
    """The active clinic's audit log, newest first. Reading it is itself audited."""
    if not 1 <= limit <= 500:
        raise ValidationFailed("limit must be between 1 and 500", field="limit")
    entries = audit_entries(action=action, object_id=object_id, actor=actor, before=before)
    rows = list(entries[: limit + 1])
    audit_record("audit.read", object_type="audit", detail={"count": min(len(rows), limit)})
    return AuditPage(rows[:limit], rows[limit - 1].pk if len(rows) > limit else None)
