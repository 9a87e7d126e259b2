"""Standalone bookkeeping rows skip the fsync wait; nothing else does."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction

from aescrm.audit.models import AuditEntry
from aescrm.audit.services import audit_record
from aescrm.core.durability import single_row_source
from aescrm.core.tenancy import clinic_scope

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="synchronous_commit is a PostgreSQL setting"
)


def _synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return str(cursor.fetchone()[0])


def test_a_standalone_audit_entry_is_committed_and_the_setting_does_not_leak(
    transactional_db: Any, allow_audit_flush: Any, clinic_a: Any
) -> None:
    with clinic_scope(clinic_a.clinic.pk):
        # When: a read's entry is written outside any transaction.
        audit_record("patient.read", object_type="patient", object_id="p-1")
        # Then: it is there, and the connection is back to durable commits.
        assert AuditEntry.objects.filter(action="patient.read", object_id="p-1").count() == 1
    assert _synchronous_commit() == "on"


def test_standalone_rows_relax_their_own_commit_only(db: Any) -> None:
    # The test runs inside a transaction: a plain VALUES list, nothing relaxed.
    assert single_row_source(["uuid", "bigint"]) == "VALUES (%s, %s)"
    with transaction.atomic():
        assert single_row_source(["uuid"]) == "VALUES (%s)"


def test_the_relaxed_form_sets_the_commit_mode_for_its_own_statement_only(
    transactional_db: Any, allow_audit_flush: Any
) -> None:
    source = single_row_source(["integer"])

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT current_setting('synchronous_commit'), v FROM ({source}) AS t(v)", [7]
        )
        inside = cursor.fetchone()
    assert inside == ("off", 7)
    assert _synchronous_commit() == "on"
