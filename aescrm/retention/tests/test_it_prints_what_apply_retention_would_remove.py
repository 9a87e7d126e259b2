"""`aescrm apply_retention` prints, per clinic and category, how many rows go (or would go),
the cut-off date and why; every run is audited; a wrong slug is one readable error."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.retention.models import RetentionRun
from aescrm.retention.policies import months_back
from aescrm.retention.tests.support import LONDON, add_touch, touch_ids
from aescrm.testing.fixtures import ClinicWorld

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def test_the_dry_run_names_the_rows_the_cutoff_and_the_reason(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld
) -> None:
    patient = clinic_a.make_patient()
    now = timezone.now()
    add_touch(clinic_a, patient, now - dt.timedelta(days=731))
    add_touch(clinic_a, patient, now - dt.timedelta(days=729))
    before = touch_ids(clinic_a)
    cutoff_day = months_back(now.astimezone(LONDON).date(), 24).isoformat()

    output = run("--dry-run")

    lines = output.splitlines()
    assert lines[0] == "Retention dry run: nothing was deleted."
    alpha = lines.index("Alpha Dental (alpha)")
    assert lines[alpha + 1] == (
        "  Attribution touches: would remove 1 — attribution touches older than 2 years "
        f"(before {cutoff_day})"
    )
    assert "Bravo Aesthetics (bravo)" in lines
    assert "  A terminated clinic's data: would remove 0 — the clinic's account is active" in lines
    assert touch_ids(clinic_a) == before
    with clinic_scope(clinic_a.clinic.pk):
        entry = AuditEntry.objects.get(action="retention.run")
        assert entry.detail["dry_run"] is True
        assert entry.detail["removed"]["attribution"] == 1
        assert RetentionRun.objects.get().dry_run is True


def test_the_real_run_for_one_clinic_removes_and_says_so(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld
) -> None:
    patient = clinic_a.make_patient()
    old = add_touch(clinic_a, patient, timezone.now() - dt.timedelta(days=800))
    recent = add_touch(clinic_a, patient, timezone.now() - dt.timedelta(days=20))

    output = run("--clinic", "alpha")

    assert output.splitlines()[0] == "Retention run."
    assert "  Attribution touches: removed 1 — attribution touches older than 2 years" in output
    assert "Bravo" not in output
    assert touch_ids(clinic_a) == {recent.pk} and old.pk not in touch_ids(clinic_a)
    with clinic_scope(clinic_a.clinic.pk):
        assert AuditEntry.objects.get(action="retention.run").detail["dry_run"] is False
    with clinic_scope(clinic_b.clinic.pk):
        assert not AuditEntry.objects.filter(action="retention.run").exists()


def test_an_unknown_clinic_is_one_readable_error(clinic_a: Any) -> None:
    with pytest.raises(CommandError, match="--clinic: no clinic has the slug 'nowhere'"):
        run("--dry-run", "--clinic", "nowhere")
