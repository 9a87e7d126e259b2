"""Helpers for the retention tests: touches at chosen times, London wall-clock moments."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from aescrm.attribution.models import Touch
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Patient
from aescrm.testing.fixtures import ClinicWorld

LONDON = zoneinfo.ZoneInfo("Europe/London")


def london(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)  # type: ignore[misc,arg-type]


def add_touch(world: ClinicWorld, patient: Patient, at: dt.datetime, **extra: Any) -> Touch:
    with clinic_scope(world.clinic.pk):
        return Touch.objects.create(
            patient=patient,
            position="first",
            channel="paid_search",
            utm_source="google",
            utm_campaign="Summer whitening",
            gclid="Cj0KCQ-test-click",
            landing_page="https://alpha.example/whitening",
            occurred_at=at,
            **extra,
        )


def touch_ids(world: ClinicWorld) -> set[Any]:
    with clinic_scope(world.clinic.pk):
        return set(Touch.objects.values_list("pk", flat=True))
