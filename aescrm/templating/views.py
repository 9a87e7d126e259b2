"""Staff pages for message templates: list, create, edit, delete and preview."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from aescrm.accounts.permissions import Perm
from aescrm.core.problems import DomainError, NotFound
from aescrm.messaging.segments import sms_segments
from aescrm.patients.models import Appointment
from aescrm.patients.selectors import patient_get, patient_list
from aescrm.templating import selectors, services
from aescrm.templating.forms import TemplateForm
from aescrm.templating.models import MessageTemplate
from aescrm.web.access import member_required
from aescrm.web.helpers import caller_of


@member_required(Perm.MESSAGE_TEMPLATE_VIEW)
def template_list(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    return render(
        request,
        "templating/list.html",
        {
            "templates": selectors.template_list(caller=caller),
            "can_edit": caller.can(Perm.MESSAGE_TEMPLATE_EDIT),
        },
    )


def _input(form: TemplateForm) -> services.TemplateInput:
    data = form.cleaned_data
    return services.TemplateInput(
        name=data["name"],
        channel=data["channel"],
        kind=data["kind"],
        subject=data["subject"],
        body_text=data["body_text"],
        body_html=data["body_html"],
        active=data["active"],
    )


def _form_page(
    request: HttpRequest, form: TemplateForm, template: MessageTemplate | None
) -> HttpResponse:
    text = form.data.get("body_text", "") if form.is_bound else form.initial.get("body_text", "")
    return render(
        request,
        "templating/form.html",
        {
            "form": form,
            "template": template,
            "segments": sms_segments(services.normalise_newlines(str(text or "")).strip()),
        },
        status=422 if form.errors else 200,
    )


@member_required(Perm.MESSAGE_TEMPLATE_EDIT)
@require_http_methods(["GET", "POST"])
def template_create(request: HttpRequest) -> HttpResponse:
    form = TemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            template = services.template_create(caller=caller_of(request), data=_input(form))
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"Template “{template.name}” saved.")
            return redirect("web:message_template", template_id=template.pk)
    return _form_page(request, form, None)


@member_required(Perm.MESSAGE_TEMPLATE_EDIT)
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, template_id: Any) -> HttpResponse:
    caller = caller_of(request)
    template = selectors.template_get(caller=caller, template_id=template_id)
    initial = {
        name: getattr(template, name)
        for name in ("name", "channel", "kind", "subject", "body_text", "body_html", "active")
    }
    form = TemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.template_update(caller=caller, template=template, data=_input(form))
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"Template “{template.name}” saved.")
            return redirect("web:message_template", template_id=template.pk)
    return _form_page(request, form, template)


@member_required(Perm.MESSAGE_TEMPLATE_EDIT)
@require_POST
def template_delete(request: HttpRequest, template_id: Any) -> HttpResponse:
    caller = caller_of(request)
    template = selectors.template_get(caller=caller, template_id=template_id)
    services.template_delete(caller=caller, template=template)
    messages.success(request, f"Template “{template.name}” deleted.")
    return redirect("web:message_templates")


@member_required(Perm.MESSAGE_TEMPLATE_VIEW)
@require_http_methods(["GET"])
def template_detail(request: HttpRequest, template_id: Any) -> HttpResponse:
    """The template, and a preview with a patient chosen by search (audited as a read)."""
    caller = caller_of(request)
    template = selectors.template_get(caller=caller, template_id=template_id)
    context: dict[str, Any] = {
        "template": template,
        "can_edit": caller.can(Perm.MESSAGE_TEMPLATE_EDIT),
        "can_preview": caller.can(Perm.PATIENT_VIEW),
        "q": request.GET.get("q", "").strip(),
    }
    status = 200
    if context["can_preview"]:
        try:
            if context["q"]:
                context["candidates"] = patient_list(
                    caller=caller, search_query=context["q"], limit=10
                ).patients
            patient_id = request.GET.get("patient")
            if patient_id:
                try:
                    patient = patient_get(caller=caller, patient_id=patient_id, audit=False)
                except NotFound:
                    patient = None
                if patient is not None:
                    context["patient"] = patient
                    context["appointments"] = list(
                        Appointment.objects.filter(patient=patient)
                        .select_related("treatment")
                        .order_by("-starts_at")[:20]
                    )
                    context["appointment_id"] = request.GET.get("appointment", "")
                context["preview"] = selectors.template_preview(
                    caller=caller,
                    template=template,
                    patient_id=patient_id,
                    appointment_id=context["appointment_id"] if patient else None,
                )
        except DomainError as exc:
            context["preview_error"] = exc
            status = 422
    return render(request, "templating/detail.html", context, status=status)
