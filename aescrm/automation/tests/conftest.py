"""A clinic with the built-in recipes, a fake Twilio, and a clock the test sets."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from aescrm.automation import engine, recipes
from aescrm.core.tenancy import clinic_scope
from aescrm.messaging import worker
from aescrm.messaging.tests.conftest import connect, twilio_fake  # noqa: F401  (fixture)
from aescrm.patients import services
from aescrm.patients.models import Appointment, Patient
from aescrm.testing.fixtures import ClinicWorld

LONDON = zoneinfo.ZoneInfo("Europe/London")


def london(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def clock() -> Iterator[Any]:
    """``clock.move_to(moment)``: timezone.now() is that moment until moved again."""
    with time_machine.travel(london(2026, 6, 1, 9), tick=False) as traveller:
        yield traveller


@pytest.fixture
def recipe_clinic(clinic_a: ClinicWorld) -> ClinicWorld:
    with clinic_scope(clinic_a.clinic.pk):
        recipes.install_all()
    return clinic_a


def book(world: ClinicWorld, patient: Patient, starts: dt.datetime) -> Appointment:
    assert world.treatment and world.practitioner
    with clinic_scope(world.clinic.pk):
        return services.appointment_book(
            caller=world.caller(),
            patient=patient,
            treatment=world.treatment,
            practitioner=world.practitioner,
            starts_at=starts,
        )


def tick(world: ClinicWorld, clock: Any, moment: dt.datetime) -> int:
    """Move the clock and run both workers once, as the periodic task would."""
    clock.move_to(moment)
    with clinic_scope(world.clinic.pk):
        done = engine.process_clinic()
        worker.process_clinic()
    return done
