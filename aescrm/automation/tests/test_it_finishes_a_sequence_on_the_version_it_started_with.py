"""Editing a rule in the builder makes version 2; a sequence that started on version 1
finishes on version 1 (the template its send step named then), new ones use version 2."""

from __future__ import annotations

from typing import Any

from aescrm.automation.models import Rule, Run, RunStatus
from aescrm.automation.tests.conftest import london, tick
from aescrm.automation.tests.support import builder_form, sms_template
from aescrm.core.tenancy import clinic_scope
from aescrm.messaging.models import Direction, Message
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import add_enquiry, member_client


def _rule_form(template_id: str) -> dict[str, Any]:
    return builder_form(
        "Follow up a day later",
        event="enquiry_created",
        actions=[
            {"type": "wait", "wait_amount": "1", "wait_unit": "days", "at": "10:00"},
            {"type": "send", "template": template_id},
        ],
    )


def _bodies(world: ClinicWorld) -> dict[Any, str]:
    with clinic_scope(world.clinic.pk):
        return {
            m.patient_id: str(m.body) for m in Message.objects.filter(direction=Direction.OUTBOUND)
        }


def test_a_run_started_on_version_1_sends_the_version_1_template(
    clinic_a: ClinicWorld, clock: Any
) -> None:
    first = sms_template(clinic_a, "First wording", "Hello from the first wording.")
    second = sms_template(clinic_a, "Second wording", "Hello from the second wording.")
    owner = member_client(clinic_a, "owner")

    # Given a rule built in the builder: wait a day (until 10:00), then send "First wording"
    clock.move_to(london(2026, 6, 1, 9))
    response = owner.post("/automations/new", _rule_form(str(first.pk)))
    assert response.status_code == 302
    with clinic_scope(clinic_a.clinic.pk):
        rule = Rule.objects.get(name="Follow up a day later")
        assert rule.current_version is not None and rule.current_version.number == 1

    # and a sequence started on version 1 and now waiting
    ada = clinic_a.make_patient(first_name="Ada", phone="07700 900401")
    add_enquiry(clinic_a, ada, channel="phone")
    tick(clinic_a, clock, london(2026, 6, 1, 9, 1))

    # When the rule is edited to send "Second wording"
    response = owner.post(f"/automations/{rule.pk}/edit", _rule_form(str(second.pk)))
    assert response.status_code == 302
    page = owner.get(f"/automations/{rule.pk}/").content.decode()
    assert "Version 2" in page
    assert "Send &#x27;Second wording&#x27;" in page

    # and a second patient's enquiry arrives after the edit
    bob = clinic_a.make_patient(first_name="Bob", phone="07700 900402")
    add_enquiry(clinic_a, bob, channel="phone")
    tick(clinic_a, clock, london(2026, 6, 1, 9, 2))

    # Then at 10:00 the next day Ada's sequence (version 1) sends the first wording,
    # Bob's (version 2) the second
    tick(clinic_a, clock, london(2026, 6, 2, 10))
    assert _bodies(clinic_a) == {
        ada.pk: "Hello from the first wording.",
        bob.pk: "Hello from the second wording.",
    }
    with clinic_scope(clinic_a.clinic.pk):
        runs = {
            run.patient_id: (run.version.number, run.status)
            for run in Run.objects.select_related("version")
        }
    assert runs == {ada.pk: (1, RunStatus.DONE), bob.pk: (2, RunStatus.DONE)}


def test_saving_without_changing_the_steps_makes_no_new_version(
    clinic_a: ClinicWorld, clock: Any
) -> None:
    first = sms_template(clinic_a, "First wording", "Hello.")
    owner = member_client(clinic_a, "owner")
    owner.post("/automations/new", _rule_form(str(first.pk)))
    with clinic_scope(clinic_a.clinic.pk):
        rule = Rule.objects.get()
    renamed = {**_rule_form(str(first.pk)), "name": "Follow up next morning"}
    response = owner.post(f"/automations/{rule.pk}/edit", renamed, follow=True)
    assert "The steps were not changed" in response.content.decode()
    with clinic_scope(clinic_a.clinic.pk):
        rule.refresh_from_db()
        assert (rule.name, rule.versions.count()) == ("Follow up next morning", 1)
