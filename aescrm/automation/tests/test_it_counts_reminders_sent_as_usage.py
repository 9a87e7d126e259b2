"""A reminder an automation sends is counted in usage analytics as the clinic's, naming no
member and no patient (docs/decisions/0034)."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.analytics.models import FeatureEvent
from aescrm.automation.tests.conftest import book, london, tick
from aescrm.messaging.tests.conftest import connect
from aescrm.testing.fakes.twilio import FakeTwilio
from aescrm.testing.fixtures import ClinicWorld

pytestmark = pytest.mark.django_db


def test_a_reminder_sent_counts_for_the_clinic(
    recipe_clinic: ClinicWorld,
    twilio_fake: FakeTwilio,
    clock: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    connect(recipe_clinic)
    clock.move_to(london(2026, 5, 29, 9))
    # The booking's own commit: its usage is written, then cleared, before the reminder.
    with django_capture_on_commit_callbacks(execute=True):
        patient = recipe_clinic.make_patient(first_name="Ada", phone="07700 900301")
        book(recipe_clinic, patient, london(2026, 6, 8, 10))
    FeatureEvent.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        tick(recipe_clinic, clock, london(2026, 6, 6, 10))

    assert len(twilio_fake.messages) == 1
    assert sorted(FeatureEvent.objects.values_list("feature", "clinic_id", "user_id")) == [
        ("automation_message_sent", recipe_clinic.clinic.pk, None),
        ("reminder_sent", recipe_clinic.clinic.pk, None),
    ]
