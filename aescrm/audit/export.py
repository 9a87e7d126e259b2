"""Export the active clinic's audit log as CSV rows. Exporting is itself audited."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

from aescrm.accounts.caller import Caller
from aescrm.accounts.permissions import Perm
from aescrm.audit.models import CONTENT_FIELDS, AuditEntry
from aescrm.audit.selectors import audit_entries
from aescrm.audit.services import audit_record
from aescrm.core.tenancy import clinic_scope

# The entry's own id and seal around what it says (its clinic is implied).
CSV_HEADER = ["id", "seq", *(f for f in CONTENT_FIELDS if f != "clinic_id"), "entry_hash"]
BATCH = 500
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _value(entry: AuditEntry, column: str) -> object:
    if column == "occurred_at":
        return entry.occurred_at.isoformat()
    if column == "detail":
        return json.dumps(entry.detail, sort_keys=True)
    return getattr(entry, column)


def _row(entry: AuditEntry) -> list[str]:
    return [_cell(_value(entry, column)) for column in CSV_HEADER]


def audit_export(
    *,
    caller: Caller,
    action: str | None = None,
    object_id: str | None = None,
    actor: str | None = None,
) -> Iterator[list[str]]:
    """Record the export now; return the rows (header first, newest first) to be streamed.

    The rows are read in batches, each inside the clinic's scope, so the
    iterator works after the request's own scope has ended (a streamed
    response is read by the server after the view returns).
    """
    caller.require(Perm.AUDIT_VIEW)
    audit_record(
        "audit.export",
        object_type="audit",
        detail={"action": action or "", "object_id": object_id or "", "actor": actor or ""},
    )
    return _rows(caller.clinic_id, action, object_id, actor)


def _rows(
    clinic_id: uuid.UUID, action: str | None, object_id: str | None, actor: str | None
) -> Iterator[list[str]]:
    yield CSV_HEADER
    before: int | None = None
    while True:
        with clinic_scope(clinic_id):
            entries = audit_entries(action=action, object_id=object_id, actor=actor, before=before)
            batch = list(entries[:BATCH])
        for entry in batch:
            yield _row(entry)
        if len(batch) < BATCH:
            return
        before = batch[-1].pk
