"""Standalone bookkeeping rows skip the fsync wait; nothing else does."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction

from aescrm.audit.models import AuditEntry
from aescrm.audit.services import audit_record
from aescrm.core.durability import relaxed_commit
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


def test_inside_a_transaction_commits_stay_durable(db: Any) -> None:
    with transaction.atomic(), relaxed_commit():
        assert _synchronous_commit() == "on"
