"""The run log answers "why did (or didn't) this patient get that message?" in words, and a
rule acts once per event however often the event is delivered."""

from __future__ import annotations

from typing import Any

from aescrm.automation import engine
from aescrm.automation.definitions import clean_definition
from aescrm.automation.models import Rule, RuleVersion, Run, RunLog
from aescrm.automation.tests.conftest import book, london, tick
from aescrm.core.tenancy import clinic_scope
from aescrm.messaging.tests.conftest import connect, inbound
from aescrm.patients import services
from aescrm.patients.models import Patient
from aescrm.testing.fakes.twilio import FakeTwilio
from aescrm.testing.fixtures import ClinicWorld


def _log(world: ClinicWorld, patient: Patient) -> list[tuple[str, str, str]]:
    with clinic_scope(world.clinic.pk):
        return [
            (e.rule_name, e.outcome, e.detail or "")
            for e in RunLog.objects.filter(patient=patient).order_by("at", "outcome")
        ]


def test_held_restricted_and_no_phone_are_each_explained(
    recipe_clinic: ClinicWorld, twilio_fake: FakeTwilio, clock: Any
) -> None:
    connect(recipe_clinic)
    clock.move_to(london(2026, 12, 1, 9))
    early = recipe_clinic.make_patient(phone="07700 900351")
    restricted = recipe_clinic.make_patient(phone="07700 900352")
    no_phone = recipe_clinic.make_patient(email="nophone@example.com")
    book(recipe_clinic, early, london(2026, 12, 10, 9))  # 2-hour reminder due 07:00
    book(recipe_clinic, restricted, london(2026, 12, 10, 11))
    book(recipe_clinic, no_phone, london(2026, 12, 10, 12))
    with clinic_scope(recipe_clinic.clinic.pk):
        services.patient_update(
            caller=recipe_clinic.caller(),
            patient=restricted,
            data=services.PatientInput(restricted=True),
        )
    tick(recipe_clinic, clock, london(2026, 12, 10, 7))
    tick(recipe_clinic, clock, london(2026, 12, 10, 9, 1))
    tick(recipe_clinic, clock, london(2026, 12, 10, 10))

    held = [e for e in _log(recipe_clinic, early) if e[1] == "held"]
    assert held == [
        (
            "Reminder 2 hours before",
            "held",
            "'Appointment reminder (2 hours before)' by sms queued, held for quiet hours until "
            "Thu 10 Dec 08:00",
        )
    ]
    assert (
        "Reminder 2 hours before",
        "not_sent",
        "this patient's record is restricted: no messages are sent",
    ) in _log(recipe_clinic, restricted)
    assert (
        "Reminder 2 hours before",
        "not_sent",
        "this patient has no phone number",
    ) in _log(recipe_clinic, no_phone)


def _custom_rule(world: ClinicWorld, event: str) -> Rule:
    definition = clean_definition({"event": event}, [], [{"type": "tag", "tag": "texted-us"}], [])
    with clinic_scope(world.clinic.pk):
        rule = Rule.objects.create(name="Tag texters", trigger_event=event)
        rule.current_version = RuleVersion.objects.create(
            rule=rule, number=1, trigger=definition.trigger, actions=definition.actions
        )
        rule.save()
    return rule


def test_a_rule_acts_once_per_event_however_often_it_is_delivered(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio, clock: Any
) -> None:
    connect(clinic_a)
    rule = _custom_rule(clinic_a, "message_received")
    clock.move_to(london(2026, 12, 1, 12))
    for _ in range(3):
        inbound("Hello, do you do whitening?", sender="+447700900361", sid="SM" + "9" * 32)
    with clinic_scope(clinic_a.clinic.pk):
        run = Run.objects.get(rule=rule)
        # The event itself, emitted again (a retried save), starts nothing new.
        engine.emit(
            engine.Event("message_received", run.event_key, run.patient, at=london(2026, 12, 1, 12))
        )
        assert Run.objects.filter(rule=rule).count() == 1
    tick(clinic_a, clock, london(2026, 12, 1, 12, 1))
    with clinic_scope(clinic_a.clinic.pk):
        run.refresh_from_db()
        run.patient.refresh_from_db()
    assert run.status == "done"
    assert run.patient.tags == ["texted-us"]
