"""Rows about a patient are sealed under that patient's key, whoever wrote them and however
the patient was named; rows about no one stay under the clinic key."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.core.tenancy import clinic_scope
from aescrm.crypto import keys
from aescrm.patients.models import Enquiry, Practitioner
from aescrm.scheduling.models import TimeOff

pytestmark = pytest.mark.django_db


def test_a_patient_named_by_a_text_id_still_gets_their_key(clinic_a: Any) -> None:
    patient = clinic_a.make_patient(first_name="Text")
    with clinic_scope(clinic_a.clinic.pk):
        enquiry = Enquiry.objects.create(
            patient_id=str(patient.pk), channel="phone", message="Called about whitening"
        )
        stored = Enquiry.objects.get(pk=enquiry.pk)
        assert keys.ciphertext_patient(stored.__dict__["message"].blob) == patient.pk
        assert stored.message == "Called about whitening"


def test_a_row_about_no_patient_stays_under_the_clinic_key(clinic_a: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    with clinic_scope(clinic_a.clinic.pk):
        practitioner = Practitioner.objects.get()
        start = timezone.now() + dt.timedelta(days=30)
        off = TimeOff.objects.create(
            practitioner=practitioner,
            starts_at=start,
            ends_at=start + dt.timedelta(days=1),
            reason="Training day",
        )
        blob = TimeOff.objects.get(pk=off.pk).__dict__["reason"].blob
    assert keys.ciphertext_patient(blob) is None
    assert keys.ciphertext_format(blob) == keys.FORMAT_V1
