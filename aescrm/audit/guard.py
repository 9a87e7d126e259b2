"""The database-level guard that keeps the audit log append-only.

Triggers on both engines refuse DELETE and any UPDATE other than sealing an
unsealed entry once. The only exception is maintenance mode, used by the
seven-year retention purge and by the test harness when it empties a
database between transactional tests; it is a per-connection switch (a
PostgreSQL setting, an SQLite function) and is never on in a request.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.db.backends.signals import connection_created

from aescrm.audit.models import CONTENT_FIELDS

_maintenance = {"on": False}

CONTENT_COLUMNS = CONTENT_FIELDS
TABLE = "audit_auditentry"

_sqlite_changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in CONTENT_COLUMNS)
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER audit_no_delete BEFORE DELETE ON {TABLE}
        WHEN aescrm_audit_maintenance() = 0
        BEGIN SELECT RAISE(ABORT, 'audit entries cannot be deleted'); END""",
    f"""CREATE TRIGGER audit_append_only BEFORE UPDATE ON {TABLE}
        WHEN aescrm_audit_maintenance() = 0 AND (OLD.entry_hash != '' OR {_sqlite_changed})
        BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END""",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_no_delete", "DROP TRIGGER IF EXISTS audit_append_only"]

_pg_new = ", ".join(f"NEW.{c}" for c in CONTENT_COLUMNS)
_pg_old = ", ".join(f"OLD.{c}" for c in CONTENT_COLUMNS)
PG_TRIGGERS = [
    f"""CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF current_setting('aescrm.audit_maintenance', true) = 'on' THEN
            RETURN COALESCE(NEW, OLD);
        END IF;
        IF TG_OP = 'DELETE' OR TG_OP = 'TRUNCATE' THEN
            RAISE EXCEPTION 'audit entries cannot be deleted';
        END IF;
        IF OLD.entry_hash <> '' OR ROW({_pg_new}) IS DISTINCT FROM ROW({_pg_old}) THEN
            RAISE EXCEPTION 'audit entries are append-only';
        END IF;
        RETURN NEW;
    END $$""",
    f"""CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION audit_append_only()""",
    f"""CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON {TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()""",
]
PG_DROP = [
    f"DROP TRIGGER IF EXISTS audit_no_truncate ON {TABLE}",
    f"DROP TRIGGER IF EXISTS audit_append_only ON {TABLE}",
    "DROP FUNCTION IF EXISTS audit_append_only()",
]


def _register_sqlite_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "aescrm_audit_maintenance",
            0,
            lambda: 1 if _maintenance["on"] else 0,
            deterministic=False,
        )


def connect_signals() -> None:
    connection_created.connect(_register_sqlite_function, dispatch_uid="aescrm-audit-guard")


def set_maintenance(on: bool) -> None:
    _maintenance["on"] = on
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('aescrm.audit_maintenance', %s, false)", ["on" if on else "off"]
            )


@contextmanager
def audit_maintenance() -> Iterator[None]:
    set_maintenance(True)
    try:
        yield
    finally:
        set_maintenance(False)


def install_triggers(apps: Any, schema_editor: Any) -> None:
    statements = {"sqlite": SQLITE_TRIGGERS, "postgresql": PG_TRIGGERS}.get(
        schema_editor.connection.vendor, []
    )
    for sql in statements:
        schema_editor.execute(sql)


def remove_triggers(apps: Any, schema_editor: Any) -> None:
    statements = {"sqlite": SQLITE_DROP, "postgresql": PG_DROP}.get(
        schema_editor.connection.vendor, []
    )
    for sql in statements:
        schema_editor.execute(sql)
