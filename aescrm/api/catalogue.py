from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from aescrm.accounts.permissions import Perm
from aescrm.api.common import ERRORS, caller_of
from aescrm.api.schemas import PractitionerOut, TreatmentOut
from aescrm.patients.models import Practitioner, Treatment

router = Router(tags=["catalogue"])


@router.get("/treatments", response={200: list[TreatmentOut], **ERRORS})
def list_treatments(request: HttpRequest) -> list[Treatment]:
    caller_of(request).require(Perm.CATALOGUE_VIEW)
    return list(Treatment.objects.filter(active=True))


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
