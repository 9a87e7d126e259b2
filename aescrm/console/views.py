"""The platform console: AES-CRM Ltd staff only (``staff_required``: signed in, is_staff,
second factor done; anyone else gets 404). Account data only, never patient data."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from aescrm.audit.services import audit_record
from aescrm.console import selectors
from aescrm.core.problems import NotFound
from aescrm.web.access import staff_required


@staff_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "console/dashboard.html",
        {
            "d": selectors.dashboard(),
            "window_days": selectors.WINDOW_DAYS,
            "cohort_offsets": range(selectors.COHORT_MONTHS),
        },
    )


@staff_required
@require_GET
def clinics(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    return render(
        request,
        "console/clinics.html",
        {"rows": selectors.clinic_rows(query), "q": query},
    )


@staff_required
@require_GET
def clinic(request: HttpRequest, clinic_id: uuid.UUID) -> HttpResponse:
    try:
        detail = selectors.clinic_detail(clinic_id)
    except NotFound:
        raise Http404 from None
    audit_record("platform.clinic.view", object_type="clinic", object_id=clinic_id, platform=True)
    return render(
        request,
        "console/clinic.html",
        {"c": detail, "window_days": selectors.WINDOW_DAYS, "now": timezone.now()},
    )
