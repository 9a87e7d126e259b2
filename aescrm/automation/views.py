"""Staff pages for automations: rules, the builder, links, the dry run and the queue's health."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aescrm.accounts.models import Membership
from aescrm.accounts.permissions import Perm
from aescrm.automation import builder as building
from aescrm.automation import dryrun, selectors, services, words
from aescrm.automation.builder import ActionRow, Builder, ConditionRow
from aescrm.automation.forms import LinksForm
from aescrm.automation.models import AutomationSettings, Rule
from aescrm.core.problems import DomainError, NotFound
from aescrm.patients.selectors import patient_get, patient_list
from aescrm.templating.models import MessageTemplate
from aescrm.web.access import member_required
from aescrm.web.helpers import caller_of, safe_next

SEE_PATIENTS = (Perm.PATIENT_VIEW, Perm.PATIENT_VIEW_OWN)


@member_required(Perm.AUTOMATION_VIEW)
@require_GET
def rule_list(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    rules = selectors.rule_list(caller=caller, now=timezone.now())
    return render(
        request,
        "automation/list.html",
        {
            "rules": [
                (rule, words.trigger(rule.current_version.trigger))
                for rule in rules
                if rule.current_version
            ],
            "can_edit": caller.can(Perm.AUTOMATION_EDIT),
        },
    )


@member_required(Perm.AUTOMATION_VIEW)
@require_GET
def rule_detail(request: HttpRequest, rule_id: Any) -> HttpResponse:
    caller = caller_of(request)
    rule = selectors.rule_get(caller=caller, rule_id=rule_id)
    versions = selectors.rule_versions(caller=caller, rule=rule)
    names = words.Names(versions)
    described = [
        {
            "version": v,
            "trigger": words.trigger(v.trigger),
            "conditions": [words.condition(c, names) for c in v.conditions],
            "actions": [words.action(a, names) for a in v.actions],
            "stop_when": words.stop_when(v.stop_when),
        }
        for v in versions
    ]
    return render(
        request,
        "automation/detail.html",
        {
            "rule": rule,
            "current": described[0],
            "history": described,
            "can_edit": caller.can(Perm.AUTOMATION_EDIT),
        },
    )


def _builder_context(request: HttpRequest, form: Builder, rule: Rule | None) -> dict[str, Any]:
    members = Membership.objects.filter(
        clinic_id=caller_of(request).clinic_id, user__is_active=True
    ).select_related("user")
    return {
        "b": form,
        "rule": rule,
        "templates": list(MessageTemplate.objects.order_by("name")),
        "members": [(str(m.user_id), m.user.email) for m in members],
        "triggers": building.TRIGGER_CHOICES,
        "condition_fields": building.CONDITION_CHOICES,
        "ops": building.OP_CHOICES,
        "action_types": building.ACTION_CHOICES,
        "stops": building.STOP_CHOICES,
        "task_kinds": building.TASK_CHOICES,
        "roles": building.ROLE_CHOICES,
        "units": building.UNIT_CHOICES,
        "stages": building.STAGE_CHOICES,
    }


def _builder(request: HttpRequest, rule: Rule | None) -> HttpResponse:
    caller = caller_of(request)
    if request.method == "GET":
        if rule is not None and rule.current_version is not None:
            form = Builder.from_version(rule.name, rule.current_version)
        else:
            form = Builder(actions=[ActionRow(0)], amount="2")
        return render(request, "automation/builder.html", _builder_context(request, form, rule))
    form = Builder.from_post(request.POST)
    if form.apply_op(request.POST.get("op", "")):
        return render(request, "automation/builder.html", _builder_context(request, form, rule))
    try:
        data = form.to_input()
        if rule is None:
            rule = services.rule_create(caller=caller, data=data)
            messages.success(request, f"Rule “{rule.name}” saved as version 1.")
        else:
            version = services.rule_update(caller=caller, rule=rule, data=data)
            if version is not None:
                messages.success(
                    request,
                    f"Rule “{rule.name}” saved as version {version.number}. Sequences already "
                    "under way finish on the version they started with.",
                )
            else:
                messages.success(request, "Saved. The steps were not changed.")
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        form.show_error(exc)
        return render(
            request,
            "automation/builder.html",
            _builder_context(request, form, rule),
            status=422,
        )
    return redirect("automations:rule", rule_id=rule.pk)


@member_required(Perm.AUTOMATION_EDIT)
@require_http_methods(["GET", "POST"])
def rule_new(request: HttpRequest) -> HttpResponse:
    return _builder(request, None)


@member_required(Perm.AUTOMATION_EDIT)
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, rule_id: Any) -> HttpResponse:
    rule = selectors.rule_get(caller=caller_of(request), rule_id=rule_id)
    return _builder(request, rule)


@member_required(Perm.AUTOMATION_EDIT)
@require_POST
def builder_row(request: HttpRequest) -> HttpResponse:
    """One blank row for the builder (htmx), keyed after the rows already on the page."""
    form = Builder.from_post(request.POST)
    key = form.next_key()
    context = _builder_context(request, form, None)
    if request.GET.get("kind") == "condition":
        context["row"] = ConditionRow(key)
        return render(request, "automation/_condition_row.html", context)
    context["row"] = ActionRow(key, type="wait")
    return render(request, "automation/_action_row.html", context)


@member_required(Perm.AUTOMATION_EDIT)
@require_POST
def rule_toggle(request: HttpRequest, rule_id: Any) -> HttpResponse:
    caller = caller_of(request)
    rule = selectors.rule_get(caller=caller, rule_id=rule_id)
    error = ""
    try:
        services.rule_set_enabled(
            caller=caller, rule=rule, enabled=request.POST.get("enabled") == "on"
        )
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        error = exc.detail[:1].upper() + exc.detail[1:] + "."
    if _is_htmx(request):
        return render(
            request,
            "automation/_toggle.html",
            {"rule": rule, "can_edit": True, "toggle_error": error},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"“{rule.name}” is now {'on' if rule.enabled else 'off'}.")
    return redirect(safe_next(request, reverse("automations:list")))


@member_required(Perm.AUTOMATION_EDIT)
@require_http_methods(["GET", "POST"])
def links(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    row = AutomationSettings.objects.first()
    initial = {"booking_url": row.booking_url, "review_url": row.review_url} if row else {}
    form = LinksForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_update(
                caller=caller,
                booking_url=form.cleaned_data["booking_url"],
                review_url=form.cleaned_data["review_url"],
            )
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            form.add_domain_error(exc)
        else:
            messages.success(request, "Links saved.")
            return redirect("automations:settings")
    return render(
        request,
        "automation/settings.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


@member_required(Perm.AUTOMATION_VIEW)
@require_GET
def dry_run(request: HttpRequest) -> HttpResponse:
    """Choose a patient (search) and optionally a rule; see what would happen now."""
    caller = caller_of(request)
    q = request.GET.get("q", "").strip()
    context: dict[str, Any] = {
        "q": q,
        "rules": selectors.rule_list(caller=caller, now=timezone.now()),
        "rule_id": request.GET.get("rule", ""),
        "can_edit": caller.can(Perm.AUTOMATION_EDIT),
    }
    status = 200
    try:
        if q:
            context["candidates"] = patient_list(caller=caller, search_query=q, limit=10).patients
        patient_id = request.GET.get("patient")
        if patient_id:
            patient = patient_get(caller=caller, patient_id=patient_id, audit=False)
            rule = None
            if context["rule_id"]:
                rule = selectors.rule_get(caller=caller, rule_id=context["rule_id"])
            context["patient"] = patient
            context["trials"] = dryrun.dry_run(patient, timezone.now(), caller=caller, rule=rule)
    except NotFound:
        raise
    except DomainError as exc:
        if exc.status == 403:
            raise
        context["search_error"] = exc.detail[:1].upper() + exc.detail[1:]
        status = 422
    return render(request, "automation/dry_run.html", context, status=status)


def _health_context(request: HttpRequest) -> dict[str, Any]:
    caller = caller_of(request)
    return {
        "health": selectors.health(caller=caller, now=timezone.now()),
        "can_edit": caller.can(Perm.AUTOMATION_EDIT),
    }


@member_required(Perm.AUTOMATION_VIEW)
@require_GET
def health(request: HttpRequest) -> HttpResponse:
    return render(request, "automation/health.html", _health_context(request))


@member_required(Perm.AUTOMATION_VIEW)
@require_GET
def health_figures(request: HttpRequest) -> HttpResponse:
    return render(request, "automation/_health.html", _health_context(request))


@member_required(*SEE_PATIENTS)
@require_POST
def notification_read(request: HttpRequest, notification_id: Any) -> HttpResponse:
    services.notification_mark_read(
        caller=caller_of(request), notification_id=notification_id, now=timezone.now()
    )
    if _is_htmx(request):
        return HttpResponse("")
    messages.success(request, "Marked as read.")
    return redirect(safe_next(request, reverse("web:dashboard")))


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"
