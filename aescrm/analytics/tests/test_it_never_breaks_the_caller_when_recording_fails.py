"""record() is called on the app's main paths: whatever goes wrong, it never raises into
the caller, and it writes nothing for work that was rolled back."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.db import transaction

from aescrm.analytics.models import FeatureEvent
from aescrm.analytics.services import record
from aescrm.testing.fixtures import ClinicWorld

pytestmark = pytest.mark.django_db


def test_an_unknown_feature_or_a_malformed_clinic_is_logged_not_raised(
    clinic_a: ClinicWorld, caplog: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        record("patient_phone_number", clinic_a.clinic.pk)
        record("sign_in", "not-a-clinic-id")
        record("chat_started", clinic_a.clinic.pk)

    assert list(FeatureEvent.objects.values_list("feature", flat=True)) == ["chat_started"]
    assert "'patient_phone_number' is not in the analytics vocabulary" in caplog.text
    assert "could not record sign_in for clinic not-a-clinic-id" in caplog.text


def test_nothing_is_recorded_for_work_that_was_rolled_back(
    clinic_a: ClinicWorld, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        record("chat_started", clinic_a.clinic.pk)
        raise RuntimeError("the caller's own failure")

    assert FeatureEvent.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_database_error_while_writing_is_swallowed(
    clinic_a: ClinicWorld, allow_audit_flush: Any, caplog: Any
) -> None:
    gone = uuid.uuid4()  # no such clinic: the foreign key refuses the row

    record("chat_started", gone)
    patient = clinic_a.make_patient(first_name="Still", last_name="Created")

    assert patient.pk is not None
    assert list(FeatureEvent.objects.values_list("feature", "clinic_id")) == [
        ("patient_created", clinic_a.clinic.pk)
    ]
    assert f"could not record chat_started for clinic {gone}" in caplog.text
