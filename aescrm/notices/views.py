"""The public notices (no sign-in) and the staff pages that edit them and show the record
of processing.

``/p/<public_key>/privacy`` and ``/p/<public_key>/ai`` are plain HTML from
this server only: no script, no third-party request, cacheable for a short
while. An unknown key is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from aescrm.accounts.permissions import Perm
from aescrm.core.problems import DomainError
from aescrm.core.tenancy import clinic_scope
from aescrm.notices import records, services
from aescrm.notices.configuration import generated_notice_url
from aescrm.notices.models import Notice
from aescrm.public.views import clinic_for_key
from aescrm.web.access import member_required, staff_required
from aescrm.web.helpers import caller_of, clinic_of

TITLES = {Notice.PRIVACY: "Privacy notice", Notice.AI: "How we use AI"}


def _public(request: HttpRequest, public_key: str, notice: str) -> HttpResponse:
    clinic = clinic_for_key(public_key)
    with clinic_scope(clinic.pk):
        sections = services.notice_sections(clinic, notice)
    response = render(
        request,
        "notices/public.html",
        {
            "clinic": clinic,
            "title": TITLES[Notice(notice)],
            "sections": sections,
            "other_url": generated_notice_url(
                clinic, Notice.AI if notice == Notice.PRIVACY else Notice.PRIVACY
            ),
            "other_title": TITLES[Notice.AI if notice == Notice.PRIVACY else Notice.PRIVACY],
        },
    )
    response["Cache-Control"] = "public, max-age=300"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
def privacy_notice(request: HttpRequest, public_key: str) -> HttpResponse:
    return _public(request, public_key, Notice.PRIVACY)


@require_GET
def ai_notice(request: HttpRequest, public_key: str) -> HttpResponse:
    return _public(request, public_key, Notice.AI)


@member_required(Perm.NOTICES_EDIT)
@require_GET
def notices_settings(request: HttpRequest) -> HttpResponse:
    clinic = clinic_of(request)
    notices = [
        {
            "key": notice.value,
            "title": TITLES[notice],
            "url": generated_notice_url(clinic, notice.value),
            "sections": services.notice_sections(clinic, notice.value),
        }
        for notice in Notice
    ]
    return render(request, "notices/settings.html", {"notices": notices})


@member_required(Perm.NOTICES_EDIT)
@require_POST
def section_save(request: HttpRequest, notice: str, section: str) -> HttpResponse:
    try:
        services.notice_override_set(
            caller=caller_of(request),
            clinic=clinic_of(request),
            notice=notice,
            section=section,
            text=request.POST.get("text", ""),
        )
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, f"Not saved: {exc.detail}.")
    else:
        messages.success(request, "Your wording is saved and published.")
    return redirect(f"{reverse('notices:settings')}#{notice}-{section}")


@member_required(Perm.NOTICES_EDIT)
@require_POST
def section_reset(request: HttpRequest, notice: str, section: str) -> HttpResponse:
    reset = services.notice_override_reset(
        caller=caller_of(request), clinic=clinic_of(request), notice=notice, section=section
    )
    messages.success(
        request,
        "The section is back to the generated wording."
        if reset
        else "The section already used the generated wording.",
    )
    return redirect(f"{reverse('notices:settings')}#{notice}-{section}")


@member_required(Perm.PROCESSING_RECORD_VIEW)
@require_GET
def processing_record(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "notices/records.html",
        {
            "records": [records.clinic_record(clinic_of(request))],
            "platform": False,
            "processor": records.PROCESSOR,
            "security": records.SECURITY_MEASURES,
        },
    )


@staff_required
@require_GET
def platform_processing_record(request: HttpRequest) -> HttpResponse:
    """AES-CRM Ltd's own staff: the record for every clinic on the platform."""
    if not request.user.is_staff:
        raise Http404
    return render(
        request,
        "notices/records.html",
        {
            "records": records.all_clinic_records(),
            "platform": True,
            "processor": records.PROCESSOR,
            "security": records.SECURITY_MEASURES,
        },
    )
