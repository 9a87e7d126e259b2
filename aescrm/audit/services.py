"""Append audit entries. The only way the application writes to the audit log."""

from __future__ import annotations

import uuid
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Field
from django.utils import timezone

from aescrm.audit.context import current_actor
from aescrm.audit.models import CONTENT_FIELDS, AuditEntry
from aescrm.core.durability import single_row_source
from aescrm.core.tenancy import active_clinic_id

# Actions that only read. ``AESCRM_AUDIT_READS=false`` (a benchmarking switch,
# never for production) leaves these, and only these, out of the log.
READ_ACTION_SUFFIXES = (".read", ".list", ".search")


def is_read_action(action: str) -> bool:
    return action.endswith(READ_ACTION_SUFFIXES)


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
    of patient data. With ``AESCRM_AUDIT_READS`` off (benchmarks only) read
    actions are built but not written.
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
    if settings.AESCRM_AUDIT_READS or not is_read_action(action):
        _insert(entry)
    return entry


_COLUMNS = (*CONTENT_FIELDS, "prev_hash", "entry_hash")


@cache
def _fields() -> tuple[Field[Any, Any], ...]:
    meta = AuditEntry._meta
    return tuple(
        meta.get_field("clinic" if name == "clinic_id" else name)  # type: ignore[misc]
        for name in _COLUMNS
    )


@cache
def _column_types(vendor: str) -> tuple[str, ...]:
    # Keyed by vendor: the column types are those of the engine in use.
    return tuple(str(field.db_type(connection)) for field in _fields())


def _insert(entry: AuditEntry) -> None:
    """One INSERT without RETURNING.

    Row-level security lets anyone append but lets a clinic read only its own
    entries; RETURNING would need read access to the new row (platform
    entries and entries written before a clinic scope exists have none).
    """
    fields = _fields()
    values = [field.get_db_prep_save(getattr(entry, field.attname), connection) for field in fields]
    source = single_row_source(_column_types(connection.vendor))
    table, columns = AuditEntry._meta.db_table, ", ".join(_COLUMNS)
    # Entries for writes commit with the write (inside its transaction); an
    # entry on its own (a read) need not wait for the disk (decision 0005).
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {source}", values)
