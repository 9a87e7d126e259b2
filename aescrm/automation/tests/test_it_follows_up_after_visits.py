"""Aftercare the day after a visit; a review request three days on, never after a complaint
or a no-show; a no-show follow-up with a call-back task; a hygiene recall six months on."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aescrm.automation.models import AutomationSettings, Rule, Run, RunStatus
from aescrm.automation.tests.conftest import book, london, tick
from aescrm.core.tenancy import clinic_scope
from aescrm.messaging.tests.conftest import connect
from aescrm.patients import services
from aescrm.patients.models import Appointment, Patient
from aescrm.pipeline.models import StaffTask
from aescrm.testing.fakes.twilio import FakeTwilio
from aescrm.testing.fixtures import ClinicWorld

VISIT = london(2026, 12, 1, 14)


def _visit(
    world: ClinicWorld, clock: Any, patient: Patient, status: str, at: dt.datetime = VISIT
) -> Appointment:
    clock.move_to(at - dt.timedelta(hours=1))
    appointment = book(world, patient, at)
    clock.move_to(at + dt.timedelta(minutes=40))
    with clinic_scope(world.clinic.pk):
        services.appointment_update(caller=world.caller(), appointment=appointment, status=status)
    return appointment


def _reviews_on(world: ClinicWorld) -> None:
    with clinic_scope(world.clinic.pk):
        AutomationSettings.objects.create(review_url="https://g.page/r/alpha/review")
        Rule.objects.filter(recipe="review_request").update(enabled=True)


def _bodies(twilio_fake: FakeTwilio) -> list[str]:
    return [m["body"] for m in twilio_fake.messages]


def test_aftercare_then_a_review_request(
    recipe_clinic: ClinicWorld, twilio_fake: FakeTwilio, clock: Any
) -> None:
    connect(recipe_clinic)
    _reviews_on(recipe_clinic)
    patient = recipe_clinic.make_patient(first_name="Dee", phone="07700 900341")
    _visit(recipe_clinic, clock, patient, "attended")

    tick(recipe_clinic, clock, london(2026, 12, 2, 9, 59))
    assert not any("yesterday" in b for b in _bodies(twilio_fake))
    tick(recipe_clinic, clock, london(2026, 12, 2, 10))
    assert _bodies(twilio_fake)[-1].startswith(
        "Hi Dee, thank you for visiting Alpha Dental yesterday"
    )
    assert "NHS 111" in _bodies(twilio_fake)[-1]

    tick(recipe_clinic, clock, london(2026, 12, 4, 11))
    assert _bodies(twilio_fake)[-1].endswith(
        "we would value a review: https://g.page/r/alpha/review"
    )


def test_no_review_request_after_a_complaint(
    recipe_clinic: ClinicWorld, twilio_fake: FakeTwilio, clock: Any
) -> None:
    connect(recipe_clinic)
    _reviews_on(recipe_clinic)
    patient = recipe_clinic.make_patient(phone="07700 900342")
    _visit(recipe_clinic, clock, patient, "attended")
    with clinic_scope(recipe_clinic.clinic.pk):
        patient.tags = ["complaint"]
        patient.save(update_fields=["tags"])
    for day in (2, 3, 4, 5):
        tick(recipe_clinic, clock, london(2026, 12, day, 11))

    assert not any("review" in b for b in _bodies(twilio_fake))
    with clinic_scope(recipe_clinic.clinic.pk):
        run = Run.objects.get(rule__recipe="review_request")
        assert run.log.get(outcome="stopped").detail == "the patient has a complaint on record"


def test_a_no_show_gets_a_follow_up_and_a_task_but_no_aftercare_or_review(
    recipe_clinic: ClinicWorld, twilio_fake: FakeTwilio, clock: Any
) -> None:
    connect(recipe_clinic)
    _reviews_on(recipe_clinic)
    patient = recipe_clinic.make_patient(first_name="Eli", phone="07700 900343")
    _visit(recipe_clinic, clock, patient, "no_show")
    for day in (1, 2, 3, 4, 5):
        tick(recipe_clinic, clock, london(2026, 12, day, 18))

    bodies = [b for b in _bodies(twilio_fake) if "reminder" not in b]
    assert bodies == [
        "Hi Eli, we missed you at Alpha Dental today. Reply to this message or call us and we "
        "will find you a new time."
    ]
    with clinic_scope(recipe_clinic.clinic.pk):
        task = StaffTask.objects.get()
        assert not Run.objects.filter(rule__recipe__in=["aftercare", "review_request"]).exists()
    assert task.note == "Missed appointment: call to rebook"


def test_a_hygiene_visit_is_recalled_six_months_on_unless_rebooked(
    recipe_clinic: ClinicWorld, twilio_fake: FakeTwilio, clock: Any
) -> None:
    connect(recipe_clinic)
    first = recipe_clinic.make_patient(phone="07700 900344")
    second = recipe_clinic.make_patient(phone="07700 900345")
    _visit(recipe_clinic, clock, first, "attended")
    _visit(recipe_clinic, clock, second, "attended", at=london(2026, 12, 1, 15))
    with clinic_scope(recipe_clinic.clinic.pk):
        recall = Run.objects.get(rule__recipe="recall_hygiene", patient=first)
    # The first wait counts from the visit: 182 days on, at 10:00 on the clinic's clock.
    tick(recipe_clinic, clock, london(2026, 12, 2, 10))
    with clinic_scope(recipe_clinic.clinic.pk):
        recall.refresh_from_db()
    assert recall.due_at == london(2027, 6, 1, 10)

    # The second patient books their next clean before the recall is due.
    clock.move_to(london(2027, 1, 10, 12))
    book(recipe_clinic, second, london(2027, 5, 20, 10))
    tick(recipe_clinic, clock, london(2027, 6, 1, 10))
    recalls = [b for b in _bodies(twilio_fake) if "six months" in b]
    assert len(recalls) == 1
    with clinic_scope(recipe_clinic.clinic.pk):
        stopped = Run.objects.get(rule__recipe="recall_hygiene", patient=second)
    assert stopped.status == RunStatus.STOPPED
