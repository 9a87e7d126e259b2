"""docs_for_clinic: the active items of the clinic in scope, every active treatment unless
staff switched its item off, and opening hours worded from the practitioners' working hours
unless the clinic wrote its own."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aescrm.assistant.knowledge import HOURS_DOC_ID, docs_for_clinic, knowledge_import_catalogue
from aescrm.assistant.models import KnowledgeItem
from aescrm.assistant.tests.kb_support import add_item
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Practitioner, Treatment, WorkingHours
from aescrm.scheduling.models import ScheduleSettings

pytestmark = pytest.mark.django_db


def _clinic_hours(world: Any) -> None:
    """Mon–Fri 9:00–17:30 (two practitioners: a morning and an afternoon), Sat 9:00–13:00."""
    with clinic_scope(world.clinic.pk):
        WorkingHours.objects.all().delete()
        early = world.practitioner
        late = Practitioner.objects.create(display_name="Nurse Late")
        retired = Practitioner.objects.create(display_name="Dr Gone", active=False)
        for day in range(5):
            WorkingHours.objects.create(
                practitioner=early, weekday=day, starts=dt.time(9), ends=dt.time(13)
            )
            WorkingHours.objects.create(
                practitioner=late, weekday=day, starts=dt.time(12), ends=dt.time(17, 30)
            )
        WorkingHours.objects.create(
            practitioner=early, weekday=5, starts=dt.time(9), ends=dt.time(13)
        )
        WorkingHours.objects.create(
            practitioner=retired, weekday=6, starts=dt.time(10), ends=dt.time(12)
        )
        ScheduleSettings.objects.update(closed_on_bank_holidays=True)


def test_it_words_the_opening_hours_from_the_working_hours(clinic_a: Any) -> None:
    _clinic_hours(clinic_a)

    with clinic_scope(clinic_a.clinic.pk):
        docs = [d for d in docs_for_clinic() if d.kind != "treatment"]

    assert [(d.id, d.kind, d.title) for d in docs] == [(HOURS_DOC_ID, "hours", "Opening hours")]
    assert docs[0].answer == (
        "We are open Monday to Friday 9:00–17:30, Saturday 9:00–13:00; closed Sunday. "
        "We are closed on bank holidays."
    )


def test_the_clinics_own_hours_and_only_active_items_are_used(clinic_a: Any, clinic_b: Any) -> None:
    _clinic_hours(clinic_a)
    hours = add_item(
        clinic_a, "When are you open?", kind="hours", answer="Weekdays 9 till half five."
    )
    parking = add_item(clinic_a, "Is there parking?", keywords="car park")
    add_item(clinic_a, "Old offer", kind="faq", answer="Half price in May.", active=False)
    add_item(clinic_b, "Bravo's parking", answer="On the street.")

    with clinic_scope(clinic_a.clinic.pk):
        docs = docs_for_clinic()

    treatment = clinic_a.treatment
    assert [(d.id, d.title, d.keywords) for d in docs] == [
        (str(hours.pk), "When are you open?", ""),
        (str(parking.pk), "Is there parking?", "car park"),
        (f"treatment:{treatment.pk}", "Hygienist appointment", ""),
    ]
    assert (docs[2].price_pence, docs[2].answer) == (
        7500,
        "Hygienist appointment costs £75 and takes about 30 minutes.",
    )


def test_a_treatment_is_left_out_when_its_item_is_off_or_it_is_withdrawn(
    clinic_a: Any,
) -> None:
    with clinic_scope(clinic_a.clinic.pk):
        peel = Treatment.objects.create(name="Chemical peel", duration_minutes=45, price_pence=1)
        knowledge_import_catalogue(caller=clinic_a.caller())
        KnowledgeItem.objects.filter(treatment=clinic_a.treatment).update(active=False)
        assert [d.title for d in docs_for_clinic() if d.kind == "treatment"] == ["Chemical peel"]

        Treatment.objects.filter(pk=peel.pk).update(active=False)
        assert [d.title for d in docs_for_clinic() if d.kind == "treatment"] == []
