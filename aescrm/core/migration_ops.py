"""Migration operations that only mean something on PostgreSQL.

``EnableTenantRLS`` turns on row-level security for a tenant table: rows are
visible and writable only when ``app.clinic_id`` (set by
``aescrm.core.tenancy``) names their clinic, or when a system job set
``app.rls_bypass``. FORCE makes the policy apply to the table's owner too, so
the application role cannot skip it.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

TENANT_PREDICATE = (
    "(current_setting('app.rls_bypass', true) = 'on' "
    "OR clinic_id = NULLIF(current_setting('app.clinic_id', true), '')::uuid)"
)


class PostgresOnlySQL(migrations.RunSQL):
    """RunSQL that is a no-op on other engines (SQLite relies on the ORM scope)."""

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def enable_tenant_rls(table: str) -> PostgresOnlySQL:
    return PostgresOnlySQL(
        sql=[
            f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY',
            f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY',
            f'CREATE POLICY tenant_isolation ON "{table}" '
            f"USING {TENANT_PREDICATE} WITH CHECK {TENANT_PREDICATE}",
        ],
        reverse_sql=[
            f'DROP POLICY IF EXISTS tenant_isolation ON "{table}"',
            f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY',
            f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY',
        ],
    )
