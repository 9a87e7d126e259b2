"""The patient page's run log, and the dry run before it, say in words why a rule did not
fire (no marketing consent by SMS) or held its message (quiet hours at 07:00)."""

from __future__ import annotations

import re
from typing import Any

from aescrm.audit.models import AuditEntry
from aescrm.automation.models import Rule, Run, RunLog
from aescrm.automation.tests.conftest import book, london, tick
from aescrm.core.tenancy import clinic_scope
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import add_enquiry, member_client


def _counts(world: ClinicWorld) -> tuple[int, int]:
    with clinic_scope(world.clinic.pk):
        return Run.objects.count(), RunLog.objects.count()


def _rows(page: str, table_class: str) -> list[str]:
    """Each table row's text, tags and spacing removed."""
    body = page.split(f'class="{table_class}"', 1)[1].split("</table>", 1)[0]
    return [
        " ".join(re.sub(r"<[^>]+>", " ", row).split())
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)[1:]
    ]


def test_the_dry_run_and_the_run_log_tell_the_same_story(
    recipe_clinic: ClinicWorld, clock: Any
) -> None:
    receptionist = member_client(recipe_clinic, "receptionist")
    clock.move_to(london(2026, 6, 1, 9))
    # Given a patient who has not consented to marketing texts, booked for Friday at 09:00
    ada = recipe_clinic.make_patient(first_name="Ada", last_name="Lovelace", phone="07700 900501")
    book(recipe_clinic, ada, london(2026, 6, 5, 9))
    before = _counts(recipe_clinic)

    # When the receptionist asks for a dry run on Monday
    page = receptionist.get(f"/automations/dry-run?patient={ada.pk}").content.decode()
    rows = _rows(page, "dry-run")
    # Then the 2-hour reminder would be due at 07:00 on Friday and held for quiet hours
    (two_hour,) = [r for r in rows if r.startswith("Reminder 2 hours before")]
    assert "held for quiet hours until Friday 5 June at 08:00" in two_hour
    (two_day,) = [r for r in rows if r.startswith("Reminder 2 days before")]
    assert "would be queued Wednesday 3 June at 09:00" in two_day
    # and nothing was written: no run, no log line; only the audit entry of the read
    assert _counts(recipe_clinic) == before
    with clinic_scope(recipe_clinic.clinic.pk):
        assert AuditEntry.objects.filter(
            action="patient.automation_dry_run.read", object_id=str(ada.pk)
        ).exists()

    # When she enquires (by phone) the nurture does not fire: no consent
    add_enquiry(recipe_clinic, ada, channel="phone")
    page = receptionist.get(f"/automations/dry-run?patient={ada.pk}").content.decode()
    (nurture,) = [r for r in _rows(page, "dry-run") if r.startswith("Nurture")]
    assert "Would not fire No marketing consent by SMS" in nurture

    # And on Friday at 07:00 the reminder is held, as the dry run said
    tick(recipe_clinic, clock, london(2026, 6, 3, 9))
    tick(recipe_clinic, clock, london(2026, 6, 5, 7))
    receptionist = member_client(recipe_clinic, "receptionist")  # a new day, a new sign-in
    page = receptionist.get(f"/patients/{ada.pk}/").content.decode()
    log = _rows(page, "run-log")
    assert log[0].startswith(
        "Fri 5 Jun 2026, 07:00 Reminder 2 hours before v1 Held for quiet hours"
    )
    assert "held for quiet hours until Fri 5 Jun 08:00" in log[0]
    nurture_lines = [r for r in log if "Nurture leads" in r]
    assert nurture_lines == [
        "Mon 1 Jun 2026, 09:00 Nurture leads who have not booked v1 Rule did not fire "
        "No marketing consent by SMS"
    ]


def test_the_dry_run_counts_a_visit_rule_from_the_visit(
    recipe_clinic: ClinicWorld, clock: Any
) -> None:
    clock.move_to(london(2026, 6, 1, 9))
    ada = recipe_clinic.make_patient(first_name="Ada", phone="07700 900502")
    book(recipe_clinic, ada, london(2026, 6, 2, 14))  # a hygienist appointment
    clock.move_to(london(2026, 6, 3, 9))
    receptionist = member_client(recipe_clinic, "receptionist")
    with clinic_scope(recipe_clinic.clinic.pk):
        recall = Rule.objects.get(recipe="recall_hygiene")
    page = receptionist.get(f"/automations/dry-run?patient={ada.pk}&rule={recall.pk}")
    (row,) = _rows(page.content.decode(), "dry-run")
    assert "latest appointment (Hygienist appointment, Tuesday 2 June at 14:00)" in row
    assert "Wait 182 days, until 10:00: waits (until Tuesday 1 December at 10:00)" in row
    assert "would be queued Tuesday 1 December at 10:00" in row

    page = receptionist.get(f"/automations/dry-run?patient={ada.pk}")
    (aftercare,) = [r for r in _rows(page.content.decode(), "dry-run") if "Aftercare" in r]
    assert "until Wednesday 3 June at 10:00" in aftercare
