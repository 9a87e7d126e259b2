"""Audit entries older than 7 years are pruned after a signed checkpoint: `verify_audit`
still passes on what is kept, and still names a kept entry that was altered afterwards."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from aescrm.audit.models import AuditEntry
from aescrm.audit.services import audit_record
from aescrm.audit.tests.test_verify_audit import tampering
from aescrm.core.tenancy import clinic_scope
from aescrm.retention.engine import apply_retention
from aescrm.retention.services import legal_hold_place
from aescrm.testing.fixtures import ClinicWorld, build_world

pytestmark = pytest.mark.django_db


def verify() -> str:
    out = io.StringIO()
    call_command("verify_audit", stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def old_clinic(db: Any) -> ClinicWorld:
    """A clinic opened 8 years ago, with reads logged then, 6 years ago, and today."""
    now = timezone.now()
    with time_machine.travel(now - dt.timedelta(days=8 * 365), tick=False):
        world = build_world("elder", "Elder Dental")
        with clinic_scope(world.clinic.pk):
            for n in range(3):
                audit_record("patient.read", object_type="patient", object_id=f"old-{n}")
    with (
        time_machine.travel(now - dt.timedelta(days=6 * 365), tick=False),
        clinic_scope(world.clinic.pk),
    ):
        audit_record("patient.read", object_type="patient", object_id="middle")
    with clinic_scope(world.clinic.pk):
        audit_record("patient.read", object_type="patient", object_id="recent")
    verify()
    return world


def _audit_result(world: ClinicWorld, dry_run: bool) -> Any:
    (report,) = apply_retention(dry_run=dry_run, clinic_slug=world.clinic.slug)
    return next(r for r in report.results if r.category == "audit")


def _entries(world: ClinicWorld) -> list[AuditEntry]:
    with clinic_scope(world.clinic.pk):
        return list(AuditEntry.objects.exclude(entry_hash="").order_by("seq"))


def test_the_old_entries_go_and_the_chain_still_verifies(old_clinic: ClinicWorld) -> None:
    cutoff = timezone.now() - dt.timedelta(days=7 * 365)
    old = [e.pk for e in _entries(old_clinic) if e.occurred_at < cutoff]
    assert len(old) > 3  # the clinic's creation, its members and keys, and three reads

    dry = _audit_result(old_clinic, dry_run=True)
    assert (dry.removed, dry.held) == (len(old), 0)
    assert dry.why.startswith("audit entries older than 7 years (before ")

    real = _audit_result(old_clinic, dry_run=False)

    kept = _entries(old_clinic)
    assert real.removed == len(old)
    assert not {e.pk for e in kept} & set(old)
    assert [e.object_id for e in kept if e.action == "patient.read"] == ["middle", "recent"]
    checkpoint = next(e for e in kept if e.action == "audit.checkpoint")
    assert checkpoint.detail["through_seq"] == (kept[0].seq or 0) - 1
    assert set(checkpoint.detail) == {"through_seq", "through_hash", "key_id", "signature"}
    assert verify().startswith("audit log intact")


def test_a_kept_entry_altered_after_pruning_fails_verification(old_clinic: ClinicWorld) -> None:
    _audit_result(old_clinic, dry_run=False)
    middle = next(e for e in _entries(old_clinic) if e.object_id == "middle")

    with tampering() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET object_id = 'someone-else' WHERE id = %s", [middle.pk]
        )

    with pytest.raises(CommandError) as failure:
        verify()
    assert f"entry {middle.pk} " in str(failure.value)
    assert "content was changed after sealing" in str(failure.value)


def test_a_forged_checkpoint_fails_verification(old_clinic: ClinicWorld) -> None:
    _audit_result(old_clinic, dry_run=False)
    checkpoint = next(e for e in _entries(old_clinic) if e.action == "audit.checkpoint")
    forged = json.dumps(
        {
            "through_seq": 1,
            "through_hash": "0" * 64,
            "key_id": checkpoint.detail["key_id"],
            "signature": "f" * 64,
        }
    )

    with tampering() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET detail = %s WHERE id = %s", [forged, checkpoint.pk]
        )

    with pytest.raises(CommandError) as failure:
        verify()
    assert "checkpoint signature does not match" in str(failure.value)


def test_entries_removed_without_a_checkpoint_still_fail(old_clinic: ClinicWorld) -> None:
    first = _entries(old_clinic)[0]
    with tampering() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [first.pk])

    with pytest.raises(CommandError) as failure:
        verify()
    assert "an entry before it was removed" in str(failure.value)


def test_entries_about_a_held_patient_and_all_after_them_are_kept(db: Any) -> None:
    now = timezone.now()
    with time_machine.travel(now - dt.timedelta(days=8 * 365), tick=False):
        world = build_world("holdco", "Hold Dental")
        patient = world.make_patient(first_name="Held")
        with clinic_scope(world.clinic.pk):
            audit_record("patient.read", object_type="patient", object_id="someone-else")
    with clinic_scope(world.clinic.pk):
        legal_hold_place(caller=world.caller(), patient=patient, reason="Claim")
    verify()
    entries = _entries(world)
    about_held = next(e for e in entries if e.object_id == str(patient.pk))
    old = [e for e in entries if e.occurred_at < now - dt.timedelta(days=7 * 365)]

    result = _audit_result(world, dry_run=False)

    assert result.removed == (about_held.seq or 0) - 1
    assert result.held == len(old) - result.removed > 0
    kept = _entries(world)
    assert kept[0].pk == about_held.pk
    assert verify().startswith("audit log intact")
