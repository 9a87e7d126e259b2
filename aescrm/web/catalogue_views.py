"""Settings → Treatments and Settings → Practitioners: the clinic's catalogue.

Owners and managers (``Perm.CATALOGUE_EDIT``). The rules live in
``aescrm.patients.catalogue``; these views parse, call and render. Objects are
looked up in the member's clinic only, so another clinic's is a 404.
Practitioners' working hours stay on Settings → Availability.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from aescrm.accounts.permissions import Perm
from aescrm.core.problems import DomainError
from aescrm.patients import catalogue
from aescrm.patients.models import Practitioner, Treatment
from aescrm.web.access import member_required
from aescrm.web.catalogue_forms import PractitionerForm, TreatmentForm
from aescrm.web.helpers import caller_of

NEW_TREATMENT = {"buffer_before_minutes": 0, "buffer_after_minutes": 0}


def _treatment_input(form: TreatmentForm) -> catalogue.TreatmentInput | None:
    """The form's values for the service, or None with the price's error on the form."""
    data = form.cleaned_data
    try:
        pence = catalogue.price_to_pence(data["price"])
    except DomainError as exc:
        form.add_domain_error(exc)
        return None
    return catalogue.TreatmentInput(
        name=data["name"],
        category=data["category"],
        duration_minutes=data["duration_minutes"],
        price_pence=pence,
        buffer_before_minutes=data["buffer_before_minutes"] or 0,
        buffer_after_minutes=data["buffer_after_minutes"] or 0,
        prescription_medicine=data["prescription_medicine"],
    )


@member_required(Perm.CATALOGUE_EDIT)
@require_http_methods(["GET", "POST"])
def treatments(request: HttpRequest) -> HttpResponse:
    form = TreatmentForm(request.POST or None, initial=NEW_TREATMENT)
    if request.method == "POST" and form.is_valid():
        data = _treatment_input(form)
        if data is not None:
            try:
                treatment = catalogue.treatment_create(caller=caller_of(request), data=data)
            except DomainError as exc:
                form.add_domain_error(exc, aliases={"price_pence": "price"})
            else:
                messages.success(request, f"{treatment.name} added. It can be booked now.")
                return redirect("web:treatments")
    rows = list(Treatment.objects.order_by("-active", "name"))
    return render(
        request,
        "web/catalogue/treatments.html",
        {"form": form, "treatments": rows},
        status=400 if form.errors else 200,
    )


@member_required(Perm.CATALOGUE_EDIT)
@require_http_methods(["GET", "POST"])
def treatment_edit(request: HttpRequest, treatment_id: Any) -> HttpResponse:
    treatment = catalogue.treatment_get(treatment_id)
    form = TreatmentForm(request.POST or None, initial=TreatmentForm.initial_of(treatment))
    if request.method == "POST" and form.is_valid():
        data = _treatment_input(form)
        if data is not None:
            try:
                changed = catalogue.treatment_update(
                    caller=caller_of(request), treatment=treatment, data=data
                )
            except DomainError as exc:
                form.add_domain_error(exc, aliases={"price_pence": "price"})
            else:
                messages.success(
                    request,
                    f"{treatment.name} saved."
                    if changed
                    else f"{treatment.name}: nothing changed.",
                )
                return redirect("web:treatments")
    if form.errors:
        treatment.refresh_from_db()  # the heading shows the saved name, not the rejected one
    return render(
        request,
        "web/catalogue/treatment_edit.html",
        {"form": form, "treatment": treatment},
        status=400 if form.errors else 200,
    )


@member_required(Perm.CATALOGUE_EDIT)
@require_POST
def treatment_active(request: HttpRequest, treatment_id: Any, active: bool) -> HttpResponse:
    treatment = catalogue.treatment_get(treatment_id)
    catalogue.treatment_set_active(caller=caller_of(request), treatment=treatment, active=active)
    if active:
        messages.success(request, f"{treatment.name} restored. It can be booked again.")
    else:
        messages.success(
            request,
            f"{treatment.name} archived. It is no longer offered for booking or by the website "
            "assistant; appointments already booked keep it.",
        )
    return redirect("web:treatments")


def _practitioner_input(form: PractitionerForm) -> catalogue.PractitionerInput:
    data = form.cleaned_data
    return catalogue.PractitionerInput(
        display_name=data["display_name"],
        profession=data["profession"],
        registration=data["registration"],
        user_id=data["user"] or None,
    )


@member_required(Perm.CATALOGUE_EDIT)
@require_http_methods(["GET", "POST"])
def practitioners(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    members = catalogue.practitioner_user_choices(caller=caller)
    form = PractitionerForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            practitioner = catalogue.practitioner_create(
                caller=caller, data=_practitioner_input(form)
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(
                request,
                f"{practitioner.display_name} added. Set their working hours on "
                "Settings → Availability before booking them.",
            )
            return redirect("web:practitioners")
    rows = list(
        Practitioner.objects.order_by("-active", "display_name")
        .select_related("user")
        .prefetch_related("working_hours")
    )
    return render(
        request,
        "web/catalogue/practitioners.html",
        {"form": form, "practitioners": rows},
        status=400 if form.errors else 200,
    )


@member_required(Perm.CATALOGUE_EDIT)
@require_http_methods(["GET", "POST"])
def practitioner_edit(request: HttpRequest, practitioner_id: Any) -> HttpResponse:
    caller = caller_of(request)
    practitioner = catalogue.practitioner_get(practitioner_id)
    form = PractitionerForm(
        request.POST or None,
        members=catalogue.practitioner_user_choices(caller=caller),
        initial=PractitionerForm.initial_of(practitioner),
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = catalogue.practitioner_update(
                caller=caller, practitioner=practitioner, data=_practitioner_input(form)
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            name = practitioner.display_name
            messages.success(request, f"{name} saved." if changed else f"{name}: nothing changed.")
            return redirect("web:practitioners")
    if form.errors:
        practitioner.refresh_from_db()
    return render(
        request,
        "web/catalogue/practitioner_edit.html",
        {"form": form, "practitioner": practitioner},
        status=400 if form.errors else 200,
    )


@member_required(Perm.CATALOGUE_EDIT)
@require_POST
def practitioner_active(request: HttpRequest, practitioner_id: Any, active: bool) -> HttpResponse:
    practitioner = catalogue.practitioner_get(practitioner_id)
    ahead = catalogue.practitioner_set_active(
        caller=caller_of(request), practitioner=practitioner, active=active
    )
    name = practitioner.display_name
    if active:
        messages.success(request, f"{name} restored. They can be booked again.")
    elif ahead:
        messages.warning(
            request,
            f"{name} archived: they can no longer be booked. {ahead} appointment"
            f"{'s are' if ahead != 1 else ' is'} still booked with them: move or cancel "
            f"{'them' if ahead != 1 else 'it'} in the calendar.",
        )
    else:
        messages.success(request, f"{name} archived: they can no longer be booked.")
    return redirect("web:practitioners")
