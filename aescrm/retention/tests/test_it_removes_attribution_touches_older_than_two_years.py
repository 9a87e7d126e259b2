"""Attribution touches older than 2 years (on the clinic's London calendar) go; the rest,
held patients' and other clinics' touches stay; a dry run reports exactly what would go."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aescrm.attribution.models import ConversionEvent
from aescrm.core.tenancy import clinic_scope
from aescrm.retention.engine import apply_retention
from aescrm.retention.services import legal_hold_place
from aescrm.retention.tests.support import add_touch, london, touch_ids

pytestmark = pytest.mark.django_db

# A summer morning: London is UTC+1, so the London and UTC calendars differ at midnight.
NOW = london(2026, 7, 1, 10, 0)
UTC = dt.UTC


def _attribution(reports: list[Any]) -> Any:
    (report,) = reports
    return next(r for r in report.results if r.category == "attribution")


@pytest.fixture
def touches(clinic_a: Any) -> dict[str, Any]:
    patient = clinic_a.make_patient(first_name="Amira")
    return {
        "two years and a day": add_touch(clinic_a, patient, NOW - dt.timedelta(days=731)),
        "two years less a day": add_touch(clinic_a, patient, NOW - dt.timedelta(days=729)),
        # 23:30 London on 30 June 2024: the day before the cut-off.
        "late on the last old day": add_touch(
            clinic_a, patient, dt.datetime(2024, 6, 30, 22, 30, tzinfo=UTC)
        ),
        # 00:30 London on 1 July 2024 (still 30 June in UTC): within retention.
        "just after London midnight": add_touch(
            clinic_a, patient, dt.datetime(2024, 6, 30, 23, 30, tzinfo=UTC)
        ),
    }


def test_a_dry_run_reports_exactly_the_old_touches_and_deletes_nothing(
    clinic_a: Any, touches: dict[str, Any]
) -> None:
    before = touch_ids(clinic_a)

    result = _attribution(apply_retention(dry_run=True, clinic_slug="alpha", now=NOW))

    assert result.removed == 2
    assert result.held == 0
    assert result.cutoff == london(2024, 7, 1, 0, 0)
    assert result.why == "attribution touches older than 2 years (before 2024-07-01)"
    assert touch_ids(clinic_a) == before


def test_the_real_run_removes_only_the_old_touches(clinic_a: Any, touches: dict[str, Any]) -> None:
    result = _attribution(apply_retention(dry_run=False, clinic_slug="alpha", now=NOW))

    assert result.removed == 2
    assert touch_ids(clinic_a) == {
        touches["two years less a day"].pk,
        touches["just after London midnight"].pk,
    }
    # A second run finds nothing more to do.
    assert _attribution(apply_retention(dry_run=False, clinic_slug="alpha", now=NOW)).removed == 0


def test_conversions_stay_counted_when_their_touch_goes(clinic_a: Any) -> None:
    patient = clinic_a.make_patient(first_name="Bea")
    old = add_touch(clinic_a, patient, NOW - dt.timedelta(days=800))
    with clinic_scope(clinic_a.clinic.pk):
        event = ConversionEvent.objects.create(
            patient=patient,
            kind="revenue",
            value_pence=25000,
            occurred_at=NOW - dt.timedelta(days=10),
            first_touch=old,
        )

    apply_retention(dry_run=False, clinic_slug="alpha", now=NOW)

    with clinic_scope(clinic_a.clinic.pk):
        kept = ConversionEvent.objects.get(pk=event.pk)
    assert (kept.value_pence, kept.first_touch_id) == (25000, None)


def test_a_held_patients_touches_stay(clinic_a: Any, touches: dict[str, Any]) -> None:
    held = clinic_a.make_patient(first_name="Held")
    held_touch = add_touch(clinic_a, held, NOW - dt.timedelta(days=1000))
    with clinic_scope(clinic_a.clinic.pk):
        legal_hold_place(caller=clinic_a.caller(), patient=held, reason="Claim from solicitor")

    dry = _attribution(apply_retention(dry_run=True, clinic_slug="alpha", now=NOW))
    real = _attribution(apply_retention(dry_run=False, clinic_slug="alpha", now=NOW))

    assert (dry.removed, dry.held) == (2, 1)
    assert (real.removed, real.held) == (2, 1)
    assert held_touch.pk in touch_ids(clinic_a)


def test_a_clinic_hold_keeps_every_touch(clinic_a: Any, touches: dict[str, Any]) -> None:
    with clinic_scope(clinic_a.clinic.pk):
        legal_hold_place(caller=clinic_a.caller(), patient=None, reason="ICO inquiry")
    before = touch_ids(clinic_a)

    result = _attribution(apply_retention(dry_run=False, clinic_slug="alpha", now=NOW))

    assert (result.removed, result.held) == (0, 2)
    assert touch_ids(clinic_a) == before


def test_another_clinics_old_touches_are_left_to_its_own_run(
    clinic_a: Any, clinic_b: Any, touches: dict[str, Any]
) -> None:
    other = add_touch(clinic_b, clinic_b.make_patient(), NOW - dt.timedelta(days=900))

    apply_retention(dry_run=False, clinic_slug="alpha", now=NOW)
    assert touch_ids(clinic_b) == {other.pk}

    apply_retention(dry_run=False, clinic_slug="bravo", now=NOW)
    assert touch_ids(clinic_b) == set()
