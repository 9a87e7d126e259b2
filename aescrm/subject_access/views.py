"""Staff pages for subject-access exports, and the single-use download link.

The download link needs no sign-in: it is a capability the clinic may hand to
the person (256 random bits, only its hash stored, one use, expiring), so it
works for whoever holds it and for no one after (docs/decisions/0024).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aescrm.accounts.caller import Caller
from aescrm.accounts.permissions import Perm
from aescrm.core.problems import Conflict, NotFound
from aescrm.patients import selectors as patient_selectors
from aescrm.subject_access import selectors, services
from aescrm.subject_access.models import SubjectAccessExport
from aescrm.web.access import member_required
from aescrm.web.helpers import caller_of


@member_required(Perm.PATIENT_EXPORT)
@require_POST
def export_start(request: HttpRequest, patient_id: Any) -> HttpResponse:
    caller = caller_of(request)
    patient = patient_selectors.patient_get(caller=caller, patient_id=patient_id, audit=False)
    services.export_request(
        caller=caller,
        patient=patient,
        include_access_log=request.POST.get("include_access_log") == "on",
    )
    messages.success(
        request,
        "The export is being prepared. It appears below as ready to download in a minute or two.",
    )
    return redirect(f"{reverse('subject_access:list')}?patient={patient.pk}")


@member_required(Perm.PATIENT_EXPORT)
@require_GET
def export_list(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    patient = None
    if request.GET.get("patient"):
        patient = patient_selectors.patient_get(
            caller=caller, patient_id=request.GET["patient"], audit=False
        )
    exports = selectors.export_list(caller=caller, patient_id=patient.pk if patient else None)
    return render(request, "subject_access/list.html", {"exports": exports, "patient": patient})


@member_required(Perm.PATIENT_EXPORT)
@require_POST
@never_cache
def export_link(request: HttpRequest, export_id: Any) -> HttpResponse:
    caller = caller_of(request)
    export = selectors.export_get(caller=caller, export_id=export_id)
    return _link_page(request, caller, export, back="subject_access:list")


def _link_page(
    request: HttpRequest, caller: Caller, export: SubjectAccessExport, *, back: str
) -> HttpResponse:
    """A fresh single-use download link for ``export``, or back to ``back`` saying why not."""
    try:
        token = services.export_link(caller=caller, export=export)
    except Conflict as exc:
        messages.error(request, f"No link: {exc.detail}.")
        return redirect(back)
    url = request.build_absolute_uri(reverse("subject_access:download", args=[token]))
    return render(request, "subject_access/link.html", {"export": export, "url": url})


@member_required(Perm.CLINIC_EXPORT)
@require_http_methods(["GET", "POST"])
def clinic_export(request: HttpRequest) -> HttpResponse:
    """Settings → Export all clinic data (owners): start one, see them, get a link."""
    caller = caller_of(request)
    if request.method == "POST":
        services.clinic_export_request(caller=caller)
        messages.success(
            request,
            "The export of all clinic data is being prepared. It appears below as ready to "
            "download when it is built; a large clinic takes a few minutes.",
        )
        return redirect("subject_access:clinic")
    exports = selectors.clinic_export_list(caller=caller)
    return render(request, "subject_access/clinic.html", {"exports": exports})


@member_required(Perm.CLINIC_EXPORT)
@require_POST
@never_cache
def clinic_export_link(request: HttpRequest, export_id: Any) -> HttpResponse:
    caller = caller_of(request)
    export = selectors.clinic_export_get(caller=caller, export_id=export_id)
    return _link_page(request, caller, export, back="subject_access:clinic")


@require_GET
@never_cache
def download(request: HttpRequest, token: str) -> HttpResponse:
    try:
        result = services.export_download(token)
    except NotFound:
        return _refusal(request, 404, "Link not found", "This download link does not exist.")
    except services.Gone:
        return _refusal(
            request,
            410,
            "Link no longer works",
            "This download link has already been used or has expired. "
            "Ask the clinic for a new one.",
        )
    created = result.export.created_at.strftime("%Y-%m-%d")
    name = "clinic-data" if result.export.whole_clinic else "your-data"
    response = HttpResponse(result.archive, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}-{created}.zip"'
    response["Referrer-Policy"] = "no-referrer"
    return response


def _refusal(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    return render(request, "web/error.html", {"title": title, "message": message}, status=status)
