"""JSON API: free slots for a treatment (scope appointments:read)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Query, Router

from aescrm.accounts.models import Clinic
from aescrm.api.common import ERRORS, caller_of
from aescrm.api.schemas import AvailabilityOut
from aescrm.core.tenancy import current_clinic_id
from aescrm.scheduling import selectors

router = Router(tags=["availability"])


@router.get("/availability", response={200: AvailabilityOut, **ERRORS})
def availability(
    request: HttpRequest,
    treatment: str | None = None,
    start: str | None = Query(
        None,
        alias="from",
        description="ISO date (clinic day) or datetime with offset; default: now",
    ),
    end: str | None = Query(
        None,
        alias="to",
        description="ISO date (inclusive clinic day) or datetime; default: 7 days on; "
        "at most 31 days after 'from'",
    ),
    practitioner: str | None = None,
) -> dict[str, object]:
    """Free slots within working hours, outside breaks, time off, closures and bank holidays,
    clear of existing appointments and their buffers, never in the past."""
    clinic = Clinic.objects.get(pk=current_clinic_id())
    tz = clinic.tz
    found, slots = selectors.availability(
        caller=caller_of(request),
        treatment_id=treatment,
        start=start,
        end=end,
        practitioner_id=practitioner,
    )
    return {
        "treatment": found.pk,
        "duration_minutes": found.duration_minutes,
        "slots": [
            {
                "practitioner": {"id": s.practitioner.pk, "name": s.practitioner.display_name},
                "starts_at": s.starts_at.astimezone(dt.UTC),
                "ends_at": s.ends_at.astimezone(dt.UTC),
                "starts_at_local": s.starts_at.astimezone(tz).isoformat(),
                "ends_at_local": s.ends_at.astimezone(tz).isoformat(),
                "timezone": clinic.timezone,
            }
            for s in slots
        ],
    }
