"""Patients: list and search, new patient, profile (timeline, notes), edit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from aescrm.accounts.permissions import Perm
from aescrm.core.problems import DomainError
from aescrm.erasure.suppression import ErasedPerson
from aescrm.patients import consent, rectification, rights, selectors, services
from aescrm.patients.models import Patient
from aescrm.retention.services import active_hold
from aescrm.web.access import member_required
from aescrm.web.forms import (
    NoteForm,
    PatientForm,
    PatientSearchForm,
    consent_wording,
    measurement_wording,
)
from aescrm.web.helpers import caller_of, clinic_of, query_string

SEE_PATIENTS = (Perm.PATIENT_VIEW, Perm.PATIENT_VIEW_OWN)
# Appointments in these states can still be marked attended, no-show or cancelled.
CHANGEABLE_STATUSES = ("booked", "confirmed")


@member_required(*SEE_PATIENTS)
def patient_list(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    form = PatientSearchForm(request.GET)
    query = request.GET.get("q", "").strip()
    cursor = request.GET.get("cursor") or None
    page = selectors.PatientPage([], None)
    status = 200
    if form.is_valid():
        try:
            page = selectors.patient_list(caller=caller, search_query=query, cursor=cursor)
        except DomainError as exc:
            form.add_domain_error(exc, {"search": "q"})
            status = 400
    else:
        status = 400
    next_url = (
        f"{reverse('web:patients')}?{query_string(q=query, cursor=page.next_cursor)}"
        if page.next_cursor
        else None
    )
    return render(
        request,
        "web/patients/list.html",
        {
            "form": form,
            "query": query,
            "patients": page.patients,
            "next_url": next_url,
            "paged": bool(cursor),
            "can_create": caller.can(Perm.PATIENT_EDIT),
        },
        status=status,
    )


def _patient_input(form: PatientForm, *, patient: Patient | None) -> services.PatientInput:
    data = form.cleaned_data
    clear: tuple[str, ...] = ()
    if patient is not None and data["date_of_birth"] is None and patient.date_of_birth:
        clear = ("date_of_birth",)
    return services.PatientInput(
        first_name=data["first_name"],
        last_name=data["last_name"],
        email=data["email"],
        phone=data["phone"],
        date_of_birth=data["date_of_birth"],
        address=data["address"],
        # Without the notes field (a role that may not read notes) they stay as they are.
        notes=data.get("notes"),
        consent=form.consent(),
        clear=clear,
    )


@member_required(Perm.PATIENT_EDIT)
@require_http_methods(["GET", "POST"])
def patient_create(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    wording = consent_wording(clinic_of(request).name)
    show_notes = caller.can(Perm.NOTES_VIEW)
    form = PatientForm(request.POST or None, show_notes=show_notes)
    ask_confirm_erased = False
    if request.method == "POST" and form.is_valid():
        try:
            patient = services.patient_create(
                caller=caller,
                data=_patient_input(form, patient=None),
                consent_source="staff",
                consent_wording=wording,
                confirm_erased=form.cleaned_data["confirm_erased"],
            )
        except ErasedPerson as exc:
            form.add_domain_error(exc, PatientForm.ALIASES)
            ask_confirm_erased = True
        except DomainError as exc:
            form.add_domain_error(exc, PatientForm.ALIASES)
        else:
            if caller.sees_only_own_patients:
                # A clinician sees a patient once they have an appointment with them.
                messages.success(
                    request,
                    f"{patient.full_name} has been added. You will see them here once they "
                    "have an appointment with you.",
                )
                return redirect("web:patients")
            messages.success(request, f"{patient.full_name} has been added.")
            return redirect("web:patient", patient_id=patient.pk)
    return render(
        request,
        "web/patients/form.html",
        {
            "form": form,
            "consent_wording": wording,
            "patient": None,
            "ask_confirm_erased": ask_confirm_erased,
        },
        status=409 if ask_confirm_erased else 400 if form.errors else 200,
    )


@member_required(Perm.PATIENT_EDIT)
@require_http_methods(["GET", "POST"])
def patient_edit(request: HttpRequest, patient_id: Any) -> HttpResponse:
    caller = caller_of(request)
    wording = consent_wording(clinic_of(request).name)
    show_notes = caller.can(Perm.NOTES_VIEW)
    ask_confirm_erased = False
    if request.method == "POST":
        patient = selectors.patient_get(caller=caller, patient_id=patient_id, audit=False)
        form = PatientForm(request.POST, show_notes=show_notes)
        if form.is_valid():
            try:
                changed = services.patient_update(
                    caller=caller,
                    patient=patient,
                    data=_patient_input(form, patient=patient),
                    consent_source="staff",
                    consent_wording=wording,
                    confirm_erased=form.cleaned_data["confirm_erased"],
                )
            except ErasedPerson as exc:
                form.add_domain_error(exc, PatientForm.ALIASES)
                ask_confirm_erased = True
            except DomainError as exc:
                form.add_domain_error(exc, PatientForm.ALIASES)
            else:
                messages.success(request, "Changes saved." if changed else "Nothing was changed.")
                return redirect("web:patient", patient_id=patient.pk)
    else:
        patient = selectors.patient_get(caller=caller, patient_id=patient_id, purpose="edit")
        form = PatientForm(initial=_initial(patient), show_notes=show_notes)
    return render(
        request,
        "web/patients/form.html",
        {
            "form": form,
            "consent_wording": wording,
            "patient": patient,
            "ask_confirm_erased": ask_confirm_erased,
        },
        status=409 if ask_confirm_erased else 400 if form.errors else 200,
    )


def _initial(patient: Patient) -> dict[str, Any]:
    return {
        "first_name": patient.first_name or "",
        "last_name": patient.last_name or "",
        "email": patient.email or "",
        "phone": patient.phone or "",
        "date_of_birth": (
            dt.date.fromisoformat(patient.date_of_birth) if patient.date_of_birth else None
        ),
        "address": patient.address or "",
        "notes": patient.notes or "",
        "consent_sms": patient.consent_sms,
        "consent_email": patient.consent_email,
        "consent_phone": patient.consent_phone,
    }


def _render_profile(
    request: HttpRequest, patient: Patient, note_form: NoteForm | None = None, status: int = 200
) -> HttpResponse:
    caller = caller_of(request)
    can_edit = caller.can(Perm.PATIENT_EDIT)
    timeline = selectors.patient_timeline(caller=caller, patient=patient)
    run_log = None
    if caller.can(Perm.AUTOMATION_VIEW):
        from aescrm.automation.selectors import run_log as automation_log

        _, run_log = automation_log(caller=caller, patient_id=patient.pk, limit=50)
    return render(
        request,
        "web/patients/detail.html",
        {
            "patient": patient,
            "timeline": timeline,
            "consent_events": consent.consent_ledger(patient),
            "restriction": rights.restriction_in_force(patient),
            "decisions": rights.decisions(patient),
            "field_history": rectification.field_history(patient) if can_edit else [],
            "note_form": note_form or NoteForm(),
            "can_edit": can_edit,
            "measurement_wording": measurement_wording(clinic_of(request).name),
            "can_erase": caller.can(Perm.PATIENT_ERASE),
            "can_see_notes": caller.can(Perm.NOTES_VIEW),
            "can_see_bodies": caller.can(Perm.MESSAGE_BODY_VIEW),
            "can_book": caller.can(Perm.APPOINTMENT_EDIT),
            "can_log_privacy": caller.can(Perm.PRIVACY_MANAGE),
            "can_see_holds": caller.can(Perm.RETENTION_MANAGE),
            "legal_hold": active_hold(patient) if caller.can(Perm.RETENTION_VIEW) else None,
            "changeable_statuses": CHANGEABLE_STATUSES,
            "here": request.get_full_path(),
            "run_log": run_log,
            "can_see_automations": run_log is not None,
            "can_export": caller.can(Perm.PATIENT_EXPORT),
        },
        status=status,
    )


@member_required(*SEE_PATIENTS)
def patient_detail(request: HttpRequest, patient_id: Any) -> HttpResponse:
    patient = selectors.patient_get(caller=caller_of(request), patient_id=patient_id)
    return _render_profile(request, patient)


@member_required(Perm.PATIENT_EDIT)
@require_POST
def note_add(request: HttpRequest, patient_id: Any) -> HttpResponse:
    caller = caller_of(request)
    patient = selectors.patient_get(caller=caller, patient_id=patient_id, audit=False)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.note_add(caller=caller, patient=patient, body=form.cleaned_data["body"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "Note added.")
            return redirect(f"{reverse('web:patient', args=[patient.pk])}#timeline")
    return _render_profile(request, patient, note_form=form, status=400)


# The record's rights forms post an action; each maps to one recorded decision.
RIGHTS_ACTIONS = {
    "restrict": lambda c, p, r: rights.restrict(caller=c, patient=p, reason=r),
    "lift": lambda c, p, r: rights.lift_restriction(caller=c, patient=p, reason=r),
    "object_marketing": lambda c, p, r: rights.object_to(
        caller=c, patient=p, kind="marketing", reason=r
    ),
    "object_profiling": lambda c, p, r: rights.object_to(
        caller=c, patient=p, kind="profiling", reason=r
    ),
    "withdraw_profiling": lambda c, p, r: rights.withdraw_profiling_objection(
        caller=c, patient=p, reason=r
    ),
}
RIGHTS_DONE = {
    "restrict": "Processing restricted: nothing will be sent.",
    "lift": "Restriction lifted.",
    "object_marketing": "Objection recorded: marketing consent withdrawn on every channel.",
    "object_profiling": "Objection recorded: no lead scoring or ad-platform uploads.",
    "withdraw_profiling": "Objection to profiling withdrawn.",
}


@member_required(Perm.PATIENT_EDIT)
@require_POST
def patient_measurement(request: HttpRequest, patient_id: Any) -> HttpResponse:
    """Record the patient's answer about ad-platform measurement, with the question asked."""
    caller = caller_of(request)
    patient = selectors.patient_get(caller=caller, patient_id=patient_id, audit=False)
    answer = {"agreed": True, "refused": False}.get(request.POST.get("answer", ""))
    if answer is None:
        messages.error(request, "Choose whether the patient agreed or refused.")
        return _render_profile(request, patient, status=400)
    consent.consent_change(
        caller=caller,
        patient=patient,
        changes={"ad_measurement": answer},
        source="staff",
        wording=measurement_wording(clinic_of(request).name),
    )
    messages.success(
        request,
        "Recorded: conversions may be sent to ad platforms."
        if answer
        else "Recorded: nothing about this patient will be sent to ad platforms.",
    )
    return redirect(f"{reverse('web:patient', args=[patient.pk])}#consent")


@member_required(Perm.PATIENT_EDIT)
@require_POST
def patient_rights(request: HttpRequest, patient_id: Any) -> HttpResponse:
    """Restrict, lift, or record an objection, with the reason (docs/decisions/0027)."""
    caller = caller_of(request)
    patient = selectors.patient_get(caller=caller, patient_id=patient_id, audit=False)
    action = request.POST.get("action", "")
    act = RIGHTS_ACTIONS.get(action)
    if act is None:
        return HttpResponse("Unknown action", status=400)
    try:
        act(caller, patient, request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, str(exc.detail))
        return _render_profile(request, patient, status=400)
    messages.success(request, RIGHTS_DONE[action])
    return redirect(f"{reverse('web:patient', args=[patient.pk])}#rights")
