"""The database refuses to change or delete audit entries: only appending and
sealing an entry once are allowed, whatever the application does."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from aescrm.audit.chain import seal_pending
from aescrm.audit.models import AuditEntry
from aescrm.audit.services import audit_record
from aescrm.core.tenancy import unscoped

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(db: Any) -> AuditEntry:
    """One sealed platform entry."""
    audit_record("auth.login.failure", object_type="user", platform=True)
    seal_pending()
    with unscoped("test: read the entry"):
        return AuditEntry.all_chains.get(action="auth.login.failure")


def _still_there(entry: AuditEntry) -> tuple[str, str]:
    with unscoped("test: read the entry"):
        row = AuditEntry.all_chains.get(pk=entry.pk)
    return row.action, row.entry_hash


def test_an_update_through_the_orm_is_refused(entry: AuditEntry) -> None:
    """Even a system job running unscoped cannot change a sealed entry."""
    with unscoped("test: try to change the log"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AuditEntry.all_chains.filter(pk=entry.pk).update(action="auth.login.success")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            entry.action = "auth.login.success"
            entry.save()

    assert _still_there(entry) == ("auth.login.failure", entry.entry_hash)


def test_resealing_an_entry_is_refused(entry: AuditEntry) -> None:
    """The seal is written once; a second hash cannot replace it."""
    with (
        unscoped("test: try to reseal"),
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
    ):
        AuditEntry.all_chains.filter(pk=entry.pk).update(entry_hash="0" * 64)

    assert _still_there(entry) == ("auth.login.failure", entry.entry_hash)


def test_an_unsealed_entry_cannot_be_changed_before_sealing(db: Any) -> None:
    """Between insert and seal, the content is already fixed."""
    audit_record("patient.export", object_type="patient", platform=True)
    with unscoped("test: try to change an unsealed entry"):
        pending = AuditEntry.all_chains.get(action="patient.export")
        assert pending.entry_hash == ""
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AuditEntry.all_chains.filter(pk=pending.pk).update(object_type="nothing")

    assert seal_pending() == 1


def test_an_update_through_sql_is_refused(entry: AuditEntry) -> None:
    """Raw SQL meets the same trigger."""
    with (
        unscoped("test: try to change the log"),
        connection.cursor() as cursor,
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
    ):
        cursor.execute("UPDATE audit_auditentry SET detail = '{}' WHERE id = %s", [entry.pk])

    assert _still_there(entry) == ("auth.login.failure", entry.entry_hash)


def test_a_delete_is_refused(entry: AuditEntry) -> None:
    """DELETE fails (SQLite trigger) or finds nothing it may delete (PostgreSQL policy)."""
    with unscoped("test: try to delete from the log"):
        if connection.vendor == "sqlite":
            with pytest.raises(DatabaseError, match="cannot be deleted"), transaction.atomic():
                AuditEntry.all_chains.filter(pk=entry.pk).delete()
            with (
                pytest.raises(DatabaseError, match="cannot be deleted"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
        else:
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
                assert cursor.rowcount == 0

    assert _still_there(entry) == ("auth.login.failure", entry.entry_hash)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL trigger")
def test_the_trigger_refuses_delete_and_truncate_even_without_row_level_security(
    entry: AuditEntry,
) -> None:
    """With the RLS policies out of the way (the table owner), the trigger still refuses."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE audit_auditentry NO FORCE ROW LEVEL SECURITY")
        with pytest.raises(DatabaseError, match="cannot be deleted"), transaction.atomic():
            cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
        with pytest.raises(DatabaseError, match="cannot be deleted"), transaction.atomic():
            cursor.execute("TRUNCATE audit_auditentry CASCADE")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute("UPDATE audit_auditentry SET action = 'x' WHERE id = %s", [entry.pk])

    assert _still_there(entry) == ("auth.login.failure", entry.entry_hash)
