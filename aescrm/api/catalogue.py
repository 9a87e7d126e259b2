from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from aescrm.accounts.permissions import Perm
from aescrm.api.common import ERRORS, caller_of
from aescrm.api.schemas import (
    PractitionerIn,
    PractitionerOut,
    PractitionerPatch,
    PractitionerSavedOut,
    TreatmentIn,
    TreatmentOut,
    TreatmentPatch,
    TreatmentSavedOut,
)
from aescrm.core.problems import ValidationFailed
from aescrm.patients import catalogue
from aescrm.patients.models import Practitioner, Treatment

router = Router(tags=["catalogue"])


@router.get("/treatments", response={200: list[TreatmentOut], **ERRORS})
def list_treatments(request: HttpRequest) -> list[Treatment]:
    caller_of(request).require(Perm.CATALOGUE_VIEW)
    return list(Treatment.objects.filter(active=True))


@router.post("/treatments", response={201: TreatmentSavedOut, **ERRORS})
def create_treatment(request: HttpRequest, payload: TreatmentIn) -> Status[Treatment]:
    data = catalogue.TreatmentInput(**payload.model_dump())
    return Status(201, catalogue.treatment_create(caller=caller_of(request), data=data))


@router.patch("/treatments/{treatment_id}", response={200: TreatmentSavedOut, **ERRORS})
def update_treatment(
    request: HttpRequest, treatment_id: uuid.UUID, payload: TreatmentPatch
) -> Treatment:
    """Only the fields sent change; ``active`` archives (false) or restores (true)."""
    caller = caller_of(request)
    caller.require(Perm.CATALOGUE_EDIT)  # before the lookup: no probing ids without the scope
    treatment = catalogue.treatment_get(treatment_id)
    changes = payload.model_dump(exclude_unset=True)
    active = changes.pop("active", None)
    _refuse_nulls(changes)
    if changes:
        catalogue.treatment_update(
            caller=caller,
            treatment=treatment,
            data=catalogue.treatment_input_of(treatment, **changes),
        )
    if active is not None:
        catalogue.treatment_set_active(caller=caller, treatment=treatment, active=active)
    return treatment


@router.get("/practitioners", response={200: list[PractitionerOut], **ERRORS})
def list_practitioners(request: HttpRequest) -> list[dict[str, object]]:
    caller_of(request).require(Perm.CATALOGUE_VIEW)
    return [
        {
            "id": p.pk,
            "display_name": p.display_name,
            "profession": p.profession,
            "registration": p.registration,
            "working_hours": list(p.working_hours.all()),
        }
        for p in Practitioner.objects.filter(active=True).prefetch_related("working_hours")
    ]


def _saved(practitioner: Practitioner) -> dict[str, Any]:
    return {
        "id": practitioner.pk,
        "display_name": practitioner.display_name,
        "profession": practitioner.profession,
        "registration": practitioner.registration,
        "user": practitioner.user_id,
        "active": practitioner.active,
    }


@router.post("/practitioners", response={201: PractitionerSavedOut, **ERRORS})
def create_practitioner(request: HttpRequest, payload: PractitionerIn) -> Status[dict[str, Any]]:
    values = payload.model_dump()
    data = catalogue.PractitionerInput(
        display_name=values["display_name"],
        profession=values["profession"],
        registration=values["registration"],
        user_id=values["user"],
    )
    return Status(201, _saved(catalogue.practitioner_create(caller=caller_of(request), data=data)))


@router.patch("/practitioners/{practitioner_id}", response={200: PractitionerSavedOut, **ERRORS})
def update_practitioner(
    request: HttpRequest, practitioner_id: uuid.UUID, payload: PractitionerPatch
) -> dict[str, Any]:
    """Only the fields sent change; ``user: null`` unlinks; ``active`` archives or restores."""
    caller = caller_of(request)
    caller.require(Perm.CATALOGUE_EDIT)
    practitioner = catalogue.practitioner_get(practitioner_id)
    changes = payload.model_dump(exclude_unset=True)
    active = changes.pop("active", None)
    if "user" in changes:
        changes["user_id"] = changes.pop("user")
    _refuse_nulls({k: v for k, v in changes.items() if k != "user_id"})
    if changes:
        catalogue.practitioner_update(
            caller=caller,
            practitioner=practitioner,
            data=catalogue.practitioner_input_of(practitioner, **changes),
        )
    if active is not None:
        catalogue.practitioner_set_active(caller=caller, practitioner=practitioner, active=active)
    return _saved(practitioner)


def _refuse_nulls(changes: dict[str, Any]) -> None:
    for field, value in changes.items():
        if value is None:
            raise ValidationFailed(f"{field} cannot be null", field=field)
