"""Tenant-owned querysets refuse to run without a clinic scope, and never cross clinics."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.core.tenancy import CrossClinicWrite, NoClinicScope, clinic_scope, unscoped
from aescrm.patients.models import Patient, Treatment

pytestmark = pytest.mark.django_db


def test_it_refuses_a_tenant_query_with_no_clinic_scope(clinic_a: Any) -> None:
    """A forgotten scope is an error, not every clinic's rows."""
    clinic_a.make_patient(first_name="Scoped")

    with pytest.raises(NoClinicScope):
        Patient.objects.count()
    with pytest.raises(NoClinicScope):
        list(Treatment.objects.all())


def test_it_refuses_to_save_a_new_row_with_no_clinic_scope(clinic_a: Any) -> None:
    """A row built outside any scope has no clinic, and saving it fails closed."""
    treatment = Treatment(name="Whitening", duration_minutes=60, price_pence=30000)

    with pytest.raises(NoClinicScope):
        treatment.save()

    with unscoped("test: count every clinic's treatments"):
        assert Treatment.objects.filter(name="Whitening").count() == 0


def test_it_hides_another_clinics_rows_inside_a_scope(clinic_a: Any, clinic_b: Any) -> None:
    """Inside clinic A's scope, clinic B's rows do not exist, even when asked for by id."""
    mine = clinic_a.make_patient(first_name="Alpha")
    theirs = clinic_b.make_patient(first_name="Bravo")

    with clinic_scope(clinic_a.clinic.pk):
        ids = set(Patient.objects.values_list("pk", flat=True))
        assert ids == {mine.pk}
        assert Patient.objects.filter(pk=theirs.pk).first() is None
        assert Treatment.objects.filter(pk=clinic_b.treatment.pk).exists() is False
        # The base manager (used for related lookups) is scoped too.
        assert Patient._base_manager.filter(pk=theirs.pk).exists() is False


def test_it_refuses_to_save_another_clinics_row_inside_a_scope(
    clinic_a: Any, clinic_b: Any
) -> None:
    """A clinic B row that reached clinic A's scope cannot be written there."""
    with clinic_scope(clinic_b.clinic.pk):
        theirs = Patient.objects.get(pk=clinic_b.make_patient(first_name="Bravo").pk)

    with clinic_scope(clinic_a.clinic.pk), pytest.raises(CrossClinicWrite):
        theirs.stage = "lost"
        theirs.save()

    with clinic_scope(clinic_b.clinic.pk):
        assert Patient.objects.get(pk=theirs.pk).stage == "lead"


def test_it_refuses_a_bulk_create_of_another_clinics_rows(clinic_a: Any, clinic_b: Any) -> None:
    """bulk_create checks every row's clinic against the scope."""
    foreign = Treatment(name="Veneers", duration_minutes=90, price_pence=90000)
    foreign.clinic_id = clinic_b.clinic.pk

    with clinic_scope(clinic_a.clinic.pk), pytest.raises(CrossClinicWrite):
        Treatment.objects.bulk_create([foreign])

    with clinic_scope(clinic_b.clinic.pk):
        assert Treatment.objects.filter(name="Veneers").exists() is False


def test_unscoped_needs_a_reason_and_sees_every_clinic(clinic_a: Any, clinic_b: Any) -> None:
    """System jobs see every clinic only through an explicit, reasoned unscoped()."""
    clinic_a.make_patient(first_name="Alpha")
    clinic_b.make_patient(first_name="Bravo")

    with pytest.raises(ValueError, match="needs a reason"), unscoped(""):
        pass
    with unscoped("test: count every clinic's patients"):
        assert Patient.objects.count() == 2
    with pytest.raises(NoClinicScope):
        Patient.objects.count()
