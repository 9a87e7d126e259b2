"""`aescrm verify_audit` passes on an intact log and names the entry that was
changed, removed or reordered.

To tamper, each test defeats the append-only guard as someone holding the
table owner's credentials could: drop the triggers on SQLite; disable them
(and the forced row-level security) on PostgreSQL. The test transaction
rolls all of it back.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from aescrm.audit.chain import seal_pending
from aescrm.audit.models import AuditEntry
from aescrm.audit.services import audit_record
from aescrm.core.tenancy import clinic_scope, unscoped

pytestmark = pytest.mark.django_db


@contextmanager
def tampering() -> Iterator[Any]:
    """A cursor that can change and delete audit rows."""
    with unscoped("test: an attacker with database access"), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_append_only")
            cursor.execute("DROP TRIGGER audit_no_delete")
        else:
            # Deferred foreign-key checks of this transaction's inserts must run first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
            cursor.execute("ALTER TABLE audit_auditentry NO FORCE ROW LEVEL SECURITY")
        yield cursor


def verify() -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("verify_audit", stdout=out, stderr=err)
    return out.getvalue()


@pytest.fixture
def sealed_chain(clinic_a: Any) -> list[int]:
    """Clinic A's chain with five more patient reads, all sealed; returns their ids."""
    with clinic_scope(clinic_a.clinic.pk):
        for n in range(5):
            audit_record("patient.read", object_type="patient", object_id=f"p{n}")
        ids = list(
            AuditEntry.objects.filter(action="patient.read")
            .order_by("id")
            .values_list("pk", flat=True)
        )
    verify()
    return ids


def test_it_passes_on_an_intact_log(clinic_a: Any, clinic_b: Any) -> None:
    """Every chain (each clinic's and the platform's) verifies."""
    clinic_a.make_patient(first_name="Intact")
    audit_record("auth.login.failure", object_type="user", platform=True)

    output = verify()

    with unscoped("test: count every chain"):
        total = AuditEntry.all_chains.count()
        assert AuditEntry.all_chains.filter(entry_hash="").count() == 0
        chains = set(AuditEntry.all_chains.values_list("clinic_id", flat=True))
    assert chains == {clinic_a.clinic.pk, clinic_b.clinic.pk, None}
    assert output.startswith(f"audit log intact: {total} entries verified ({total} newly sealed)")
    assert verify().startswith(f"audit log intact: {total} entries verified (0 newly sealed)")


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("action", "'patient.list'"),
        ("object_id", "'someone-else'"),
        ("actor_label", "'nobody'"),
        ("occurred_at", "occurred_at"),  # rewritten below to a different time
        ("detail", "'{\"shown\": []}'"),
    ],
)
def test_it_names_an_entry_whose_content_was_changed(
    sealed_chain: list[int], column: str, value: str
) -> None:
    """Changing any column of a sealed entry fails verification naming that entry."""
    target = sealed_chain[2]
    if column == "occurred_at":
        value = (
            "datetime(occurred_at, '-1 hour')"
            if connection.vendor == "sqlite"
            else "occurred_at - interval '1 hour'"
        )
    with tampering() as cursor:
        cursor.execute(
            f"UPDATE audit_auditentry SET {column} = {value} WHERE id = %s",
            [target],
        )
        assert cursor.rowcount == 1

    with pytest.raises(CommandError) as failure:
        verify()

    assert f"entry {target} " in str(failure.value)
    assert "content was changed after sealing" in str(failure.value)


def test_it_names_the_entry_after_one_that_was_deleted(sealed_chain: list[int]) -> None:
    """Removing a middle entry breaks the sequence at the entry that follows it."""
    with tampering() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [sealed_chain[1]])
        assert cursor.rowcount == 1

    with pytest.raises(CommandError) as failure:
        verify()

    assert f"entry {sealed_chain[2]} " in str(failure.value)
    assert "an entry before it was removed" in str(failure.value)


def test_it_detects_that_the_newest_entries_were_deleted(sealed_chain: list[int]) -> None:
    """The chain head anchors the end: deleting the last entries is detected too."""
    with unscoped("test: read the newest entry"):
        last_seq = AuditEntry.all_chains.get(pk=sealed_chain[-1]).seq
    assert last_seq is not None
    with tampering() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id IN (%s, %s)", sealed_chain[-2:])
        assert cursor.rowcount == 2

    with pytest.raises(CommandError) as failure:
        verify()

    message = str(failure.value)
    assert f"seq {last_seq}" in message
    assert f"chain ends at seq {last_seq - 2}: newer entries were removed" in message


def test_it_detects_reordered_entries(sealed_chain: list[int]) -> None:
    """Swapping two entries' positions fails at the first of them."""
    first, second = sealed_chain[1], sealed_chain[2]
    with tampering() as cursor:
        cursor.execute("SELECT id, seq FROM audit_auditentry WHERE id IN (%s, %s)", [first, second])
        seqs = dict(cursor.fetchall())
        cursor.execute("UPDATE audit_auditentry SET seq = -1 WHERE id = %s", [first])
        cursor.execute("UPDATE audit_auditentry SET seq = %s WHERE id = %s", [seqs[first], second])
        cursor.execute("UPDATE audit_auditentry SET seq = %s WHERE id = %s", [seqs[second], first])

    with pytest.raises(CommandError) as failure:
        verify()

    assert f"entry {second} " in str(failure.value)


def test_it_names_a_changed_sign_in_entry_on_the_platform_chain(clinic_a: Any) -> None:
    """Platform entries (no clinic) form their own chain, verified the same way."""
    audit_record("auth.login.failure", object_type="user", platform=True)
    audit_record("auth.login.success", object_type="user", platform=True)
    verify()
    with unscoped("test: find the entry"):
        target = AuditEntry.all_chains.get(action="auth.login.failure").pk
    with tampering() as cursor:
        cursor.execute("UPDATE audit_auditentry SET action = 'auth.logout' WHERE id = %s", [target])

    with pytest.raises(CommandError) as failure:
        verify()

    assert str(failure.value) == (
        f"audit log verification failed: chain platform: entry {target} (seq 1): "
        "content was changed after sealing"
    )


def test_sealing_twice_changes_nothing(clinic_a: Any) -> None:
    """A second seal finds nothing to do and leaves every hash as it was."""
    first = seal_pending()
    with unscoped("test: read the seals"):
        seals = list(AuditEntry.all_chains.order_by("id").values_list("id", "seq", "entry_hash"))

    second = seal_pending()

    with unscoped("test: read the seals"):
        again = list(AuditEntry.all_chains.order_by("id").values_list("id", "seq", "entry_hash"))
    assert first == len(seals) > 0
    assert second == 0
    assert again == seals
