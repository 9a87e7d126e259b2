"""Helpers for the pipeline tests: leads at fixed times, extra staff."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aescrm.accounts.models import User
from aescrm.accounts.services import membership_set
from aescrm.core.tenancy import clinic_scope
from aescrm.patients import services
from aescrm.patients.models import Enquiry, Treatment
from aescrm.testing.fixtures import PASSWORD, ClinicWorld


def make_lead(
    world: ClinicWorld,
    *,
    message: str = "",
    channel: str = "web_form",
    created_at: dt.datetime | None = None,
    treatment: Treatment | None = None,
    **patient_fields: Any,
) -> Enquiry:
    patient = world.make_patient(**patient_fields)
    with clinic_scope(world.clinic.pk):
        enquiry = services.enquiry_create(
            caller=world.caller(),
            patient=patient,
            channel=channel,
            message=message,
            treatment=treatment,
        )
        if created_at is not None:
            Enquiry.objects.filter(pk=enquiry.pk).update(created_at=created_at)
        return Enquiry.objects.select_related("patient", "treatment").get(pk=enquiry.pk)


def add_staff(world: ClinicWorld, name: str, role: str = "receptionist") -> User:
    user = User.objects.create_user(f"{name}@{world.clinic.slug}.test", PASSWORD, full_name=name)
    membership_set(clinic=world.clinic, user=user, role=role)
    return user


def reload(world: ClinicWorld, enquiry: Enquiry) -> Enquiry:
    with clinic_scope(world.clinic.pk):
        return Enquiry.objects.select_related("patient", "treatment").get(pk=enquiry.pk)
