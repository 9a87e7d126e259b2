"""The nurture sequence never messages a lead without marketing consent, and stops as soon as
the lead books, replies or opts out. The instant reply (a service message) goes to everyone."""

from __future__ import annotations

from typing import Any

from aescrm.automation.models import Run, RunLog, RunStatus
from aescrm.automation.tests.conftest import book, london, tick
from aescrm.core.tenancy import clinic_scope
from aescrm.messaging.models import Message
from aescrm.messaging.tests.conftest import connect, inbound
from aescrm.patients import services
from aescrm.patients.models import Patient
from aescrm.testing.fakes.twilio import FakeTwilio
from aescrm.testing.fixtures import ClinicWorld

DAYS = [london(2026, 12, d, 10) for d in range(2, 16)]  # every morning for a fortnight


def _enquire(world: ClinicWorld, patient: Patient) -> None:
    with clinic_scope(world.clinic.pk):
        services.enquiry_create(
            caller=world.caller(), patient=patient, channel="web_form", message="Whitening?"
        )


def _nurture(world: ClinicWorld, patient: Patient) -> Run:
    with clinic_scope(world.clinic.pk):
        return Run.objects.get(rule__recipe="nurture", patient=patient)


def _marketing_to(world: ClinicWorld, patient: Patient) -> list[str]:
    with clinic_scope(world.clinic.pk):
        return [m.body for m in Message.objects.filter(patient=patient, kind="marketing")]


def test_no_consent_no_nurture_ever(
    recipe_clinic: ClinicWorld, twilio_fake: FakeTwilio, clock: Any
) -> None:
    connect(recipe_clinic)
    clock.move_to(london(2026, 12, 1, 12))
    patient = recipe_clinic.make_patient(phone="07700 900331", consent={"sms": False})
    _enquire(recipe_clinic, patient)
    for day in DAYS:
        tick(recipe_clinic, clock, day)

    assert _marketing_to(recipe_clinic, patient) == []
    # Only the instant reply, a service message, went.
    assert [m["body"][:30] for m in twilio_fake.messages] == ["Hi Test, thank you for your en"]
    run = _nurture(recipe_clinic, patient)
    assert run.status == RunStatus.SKIPPED
    with clinic_scope(recipe_clinic.clinic.pk):
        why = run.log.get()
    assert (why.outcome, why.detail) == ("not_fired", "no marketing consent by SMS")


def test_the_nurture_stops_when_the_lead_books(
    recipe_clinic: ClinicWorld, twilio_fake: FakeTwilio, clock: Any
) -> None:
    connect(recipe_clinic)
    clock.move_to(london(2026, 12, 1, 12))
    patient = recipe_clinic.make_patient(phone="07700 900332", consent={"sms": True})
    _enquire(recipe_clinic, patient)
    tick(recipe_clinic, clock, london(2026, 12, 2, 10))
    assert len(_marketing_to(recipe_clinic, patient)) == 1

    clock.move_to(london(2026, 12, 3, 15))
    book(recipe_clinic, patient, london(2026, 12, 20, 10))
    for day in DAYS:
        tick(recipe_clinic, clock, day)

    assert len(_marketing_to(recipe_clinic, patient)) == 1
    run = _nurture(recipe_clinic, patient)
    assert run.status == RunStatus.STOPPED
    with clinic_scope(recipe_clinic.clinic.pk):
        stopped = run.log.get(outcome="stopped")
    assert (stopped.reason, stopped.detail) == ("booked", "the patient has booked")


def test_the_nurture_stops_on_a_reply_and_on_stop(
    recipe_clinic: ClinicWorld, twilio_fake: FakeTwilio, clock: Any
) -> None:
    connect(recipe_clinic)
    clock.move_to(london(2026, 12, 1, 12))
    replier = recipe_clinic.make_patient(phone="07700 900333", consent={"sms": True})
    stopper = recipe_clinic.make_patient(phone="07700 900334", consent={"sms": True})
    _enquire(recipe_clinic, replier)
    _enquire(recipe_clinic, stopper)
    tick(recipe_clinic, clock, london(2026, 12, 2, 10))
    clock.move_to(london(2026, 12, 2, 18))
    inbound("How much is it?", sender="+447700900333", sid="SM" + "1" * 32)
    inbound("STOP", sender="+447700900334", sid="SM" + "2" * 32)
    for day in DAYS:
        tick(recipe_clinic, clock, day)

    assert len(_marketing_to(recipe_clinic, replier)) == 1
    assert len(_marketing_to(recipe_clinic, stopper)) == 1
    with clinic_scope(recipe_clinic.clinic.pk):
        reasons = dict(
            RunLog.objects.filter(outcome="stopped", run__rule__recipe="nurture").values_list(
                "patient_id", "reason"
            )
        )
    assert reasons == {replier.pk: "replied", stopper.pk: "opted_out"}
