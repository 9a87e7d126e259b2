"""A worker that was stopped catches up when it starts: what fell due meanwhile is sent once,
and nothing that became wrong meanwhile is sent — a cancelled or moved appointment, a patient
who replied STOP to a marketing sequence or whose record was restricted, and a reminder whose
moment passed too long ago. The run log says why for each."""

from __future__ import annotations

import io
from typing import Any

from django.core.management import call_command

from aescrm.automation.models import Outcome, Run, RunStatus
from aescrm.automation.recipes import REMINDER_2, REMINDER_48
from aescrm.automation.tests.conftest import book, london
from aescrm.core.tenancy import clinic_scope
from aescrm.messaging.tests.conftest import inbound
from aescrm.messaging.tests.senders import connect_all_day
from aescrm.patients import services
from aescrm.patients.models import Appointment, Patient
from aescrm.testing.fakes.twilio import FakeTwilio
from aescrm.testing.fixtures import ClinicWorld

MONDAY = london(2026, 6, 8)  # the appointments; their 48-hour reminders are due on Saturday 6th
RESTART = london(2026, 6, 6, 14)  # the worker starts again, on Saturday afternoon


def _phone(n: int) -> str:
    return f"+4477009007{n:02d}"


def _runs(world: ClinicWorld, patient: Patient, recipe: str) -> list[Run]:
    with clinic_scope(world.clinic.pk):
        return list(Run.objects.filter(patient=patient, rule__recipe=recipe).order_by("created_at"))


def _why(world: ClinicWorld, run: Run) -> list[tuple[str, str, str]]:
    """The run's log after it was scheduled: (outcome, reason code, words)."""
    with clinic_scope(world.clinic.pk):
        return [
            (line.outcome, line.reason, str(line.detail))
            for line in run.log.exclude(outcome=Outcome.FIRED).order_by("at", "id")
        ]


def _sweep() -> str:
    """One start of the worker: what the periodic tasks do, until nothing is due."""
    out = io.StringIO()
    call_command("run_automations", "--once", stdout=out)
    return out.getvalue()


def _update(world: ClinicWorld, appointment: Appointment, **change: Any) -> None:
    with clinic_scope(world.clinic.pk):
        appointment.refresh_from_db()
        services.appointment_update(caller=world.caller(), appointment=appointment, **change)


def test_a_stopped_worker_sends_what_is_still_right_once_and_says_why_not_for_the_rest(
    recipe_clinic: ClinicWorld, twilio_fake: FakeTwilio, clock: Any
) -> None:
    world = recipe_clinic
    connect_all_day(world)
    names = ["Ada", "Bea", "Cal", "Dot", "Eve", "Fay"]
    ada, bea, cal, dot, eve, fay = (
        world.make_patient(first_name=name, phone=_phone(n), consent={"sms": True})
        for n, name in enumerate(names)
    )

    # Wednesday, the worker running: four appointments on Monday 8th, one on Saturday 6th.
    clock.move_to(london(2026, 6, 3, 9))
    visits = {
        p.first_name: book(world, p, MONDAY.replace(hour=10 + n))
        for n, p in enumerate((ada, bea, cal, dot))
    }
    book(world, fay, london(2026, 6, 6, 11))  # reminders due Thu 11:00 and Sat 09:00
    # Thursday 09:00: Eve enquires; the thank-you goes at once, the nurture waits a day.
    clock.move_to(london(2026, 6, 4, 9))
    with clinic_scope(world.clinic.pk):
        services.enquiry_create(caller=world.caller(), patient=eve, channel="web_form")
    _sweep()
    assert [m["to"] for m in twilio_fake.taken()] == [_phone(4)]
    (nurture,) = _runs(world, eve, "nurture")
    assert nurture.due_at == london(2026, 6, 5, 10)

    # The worker stops. Fay's 48-hour reminder falls due (Thursday 11:00), then the nurture's
    # first text (Friday 10:00), then the Monday reminders (Saturday 10:00 to 13:00)...
    clock.move_to(london(2026, 6, 5, 9, 30))
    inbound("STOP", sender=_phone(4), sid="SM" + "e" * 32)
    clock.move_to(london(2026, 6, 5, 16))
    _update(world, visits["Bea"], status="cancelled", cancellation_reason="Unwell")
    _update(world, visits["Cal"], starts_at=london(2026, 6, 9, 10))  # a day later
    with clinic_scope(world.clinic.pk):
        services.patient_update(
            caller=world.caller(), patient=dot, data=services.PatientInput(restricted=True)
        )
    taken_before = len(twilio_fake.taken())

    # ...and it starts again on Saturday at 14:00.
    clock.move_to(RESTART)
    said = _sweep()
    assert _sweep() == "took 0 due automation runs, handled 0 due messages\n"  # nothing left

    sent = twilio_fake.taken()[taken_before:]
    assert [(m["to"], m["body"].split(",")[0]) for m in sent] == [(_phone(0), "Hi Ada")]
    assert "a reminder of your appointment" in sent[0]["body"]
    # Ada's and Dot's reminders, Eve's nurture, Fay's two: one text (Ada's) sent.
    assert said == "took 5 due automation runs, handled 1 due messages\n"

    (ada_48,) = _runs(world, ada, REMINDER_48)
    assert ada_48.status == RunStatus.DONE
    assert [o for o, _, _ in _why(world, ada_48)] == [Outcome.SENT]

    (bea_48,) = _runs(world, bea, REMINDER_48)
    assert bea_48.status == RunStatus.CANCELLED
    assert _why(world, bea_48) == [
        (Outcome.CANCELLED, "appointment_changed", "the appointment was cancelled")
    ]

    old, new = _runs(world, cal, REMINDER_48)
    assert old.status == RunStatus.CANCELLED
    assert _why(world, old) == [
        (
            Outcome.CANCELLED,
            "appointment_changed",
            "the appointment moved to Tuesday 9 June at 10:00",
        )
    ]
    assert (new.status, new.due_at) == (RunStatus.SCHEDULED, london(2026, 6, 7, 10))

    (dot_48,) = _runs(world, dot, REMINDER_48)
    ((outcome, reason, words),) = [
        line for line in _why(world, dot_48) if line[0] == Outcome.NOT_SENT
    ]
    assert (reason, words) == (
        "restricted",
        "this patient's record is restricted: no messages are sent",
    )

    nurture = _runs(world, eve, "nurture")[0]
    assert nurture.status == RunStatus.STOPPED
    assert _why(world, nurture)[-1][:2] == (Outcome.STOPPED, "opted_out")
    assert "opted out of marketing by sms" in _why(world, nurture)[-1][2]

    for recipe, due in ((REMINDER_48, "Thu 4 Jun 11:00"), (REMINDER_2, "Sat 6 Jun 09:00")):
        (late,) = _runs(world, fay, recipe)
        assert late.status == RunStatus.SKIPPED, recipe
        ((outcome, reason, words),) = _why(world, late)
        assert (outcome, reason) == (Outcome.SKIPPED, "too_late")
        assert (
            words == f"due {due} but not taken until Sat 6 Jun 14:00: skipped rather than sent late"
        )
    assert _phone(5) not in {m["to"] for m in twilio_fake.taken()}
