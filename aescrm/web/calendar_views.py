"""Calendar: day and week views, booking, status changes. Stored in UTC, shown in clinic time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from aescrm.accounts.models import Clinic
from aescrm.accounts.permissions import Perm
from aescrm.core.problems import DomainError, ValidationFailed
from aescrm.patients import calendar, selectors, services
from aescrm.patients.models import Appointment, Practitioner, Treatment
from aescrm.scheduling import selectors as scheduling
from aescrm.scheduling.availability import Slot
from aescrm.web.access import member_required
from aescrm.web.forms import AppointmentStatusForm, BookingForm, MoveForm, PatientSearchForm
from aescrm.web.helpers import (
    caller_of,
    clinic_of,
    local_datetime,
    local_midnight,
    local_today,
    query_string,
    safe_next,
)
from aescrm.web.patient_views import CHANGEABLE_STATUSES

DAY_FIRST_HOUR = 8
DAY_LAST_HOUR = 19


@dataclass
class Column:
    label: str
    key: Any
    is_today: bool = False


@dataclass
class Cell:
    appointments: list[Appointment] = field(default_factory=list)
    # Where an appointment dropped here moves to: a clinic date and, in the day view,
    # a practitioner.
    drop_date: dt.date | None = None
    drop_practitioner: Any = None


@dataclass
class Row:
    hour: int
    cells: list[Cell] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.hour:02d}:00"


def _parse_day(value: str, clinic: Clinic) -> tuple[dt.date, str]:
    if not value:
        return local_today(clinic), ""
    try:
        return dt.date.fromisoformat(value), ""
    except ValueError:
        return local_today(clinic), f"“{value}” is not a date like 2026-05-01; showing today."


def _calendar_url(**params: Any) -> str:
    query = query_string(**params)
    return reverse("web:calendar") + (f"?{query}" if query else "")


@member_required(Perm.APPOINTMENT_VIEW)
def calendar_view(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    clinic = clinic_of(request)
    day, date_error = _parse_day(request.GET.get("date", ""), clinic)
    view = "week" if request.GET.get("view") == "week" else "day"
    practitioners = calendar.practitioners_for(caller)
    chosen: Practitioner | None = None
    if request.GET.get("practitioner"):
        chosen = calendar.practitioner_get(
            caller=caller, practitioner_id=request.GET["practitioner"]
        )
    today = local_today(clinic)
    if view == "week":
        first = day - dt.timedelta(days=day.weekday())
        days = [first + dt.timedelta(days=i) for i in range(7)]
        step = dt.timedelta(days=7)
    else:
        first = day
        days = [day]
        step = dt.timedelta(days=1)
    start = local_midnight(clinic, days[0])
    end = local_midnight(clinic, days[-1] + dt.timedelta(days=1))
    appointments = calendar.calendar_appointments(
        caller=caller, start=start, end=end, practitioner=chosen
    )
    if view == "week":
        columns = [Column(label=d.strftime("%a %-d %b"), key=d, is_today=d == today) for d in days]
    else:
        shown = [chosen] if chosen else practitioners
        # A practitioner who is no longer active still shows when they have appointments.
        for appointment in appointments:
            if appointment.practitioner not in shown:
                shown.append(appointment.practitioner)
        columns = [Column(label=p.display_name, key=p.pk) for p in shown]
    rows = _grid(appointments, columns, view, clinic, start)
    pid = chosen.pk if chosen else None
    context = {
        "view": view,
        "week_view": view == "week",
        "day": day,
        "days": days,
        "today": today,
        "columns": columns,
        "rows": rows,
        "appointment_count": len(appointments),
        "practitioners": practitioners,
        "chosen": chosen,
        "date_error": date_error,
        "title": _title(view, days),
        "prev_url": _calendar_url(date=(first - step).isoformat(), view=view, practitioner=pid),
        "next_url": _calendar_url(date=(first + step).isoformat(), view=view, practitioner=pid),
        "today_url": _calendar_url(view=view, practitioner=pid),
        "day_url": _calendar_url(date=day.isoformat(), view="day", practitioner=pid),
        "week_url": _calendar_url(date=day.isoformat(), view="week", practitioner=pid),
        "book_url": reverse("web:book")
        + "?"
        + query_string(date=day.isoformat(), practitioner=pid),
        "can_book": caller.can(Perm.APPOINTMENT_EDIT),
        "changeable_statuses": CHANGEABLE_STATUSES,
        "here": request.get_full_path(),
        "timezone_name": clinic.timezone,
    }
    return render(request, "web/calendar/calendar.html", context)


def _title(view: str, days: list[dt.date]) -> str:
    if view == "week":
        return f"Week of {days[0].strftime('%-d %B %Y')}"
    return days[0].strftime("%A %-d %B %Y")


def _grid(
    appointments: list[Appointment],
    columns: list[Column],
    view: str,
    clinic: Clinic,
    start: dt.datetime,
) -> list[Row]:
    """Hour rows × columns (practitioners for a day, dates for a week), in clinic time."""
    placed: list[tuple[int, int, Appointment]] = []
    keys = [c.key for c in columns]
    for appointment in appointments:
        local = max(appointment.starts_at, start).astimezone(clinic.tz)
        key = local.date() if view == "week" else appointment.practitioner_id
        if key in keys:
            placed.append((local.hour, keys.index(key), appointment))
    hours = [h for h, _, _ in placed]
    first = min([DAY_FIRST_HOUR, *hours])
    last = max([DAY_LAST_HOUR, *hours])
    day = start.astimezone(clinic.tz).date()
    rows = [
        Row(
            hour=h,
            cells=[
                Cell(drop_date=c.key, drop_practitioner=None)
                if view == "week"
                else Cell(drop_date=day, drop_practitioner=c.key)
                for c in columns
            ],
        )
        for h in range(first, last + 1)
    ]
    for hour, column, appointment in placed:
        rows[hour - first].cells[column].appointments.append(appointment)
    return rows


def _booking_choices() -> tuple[Any, Any]:
    return (
        Treatment.objects.filter(active=True).order_by("name"),
        Practitioner.objects.filter(active=True).order_by("display_name"),
    )


@member_required(Perm.APPOINTMENT_EDIT)
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    clinic = clinic_of(request)
    treatments, practitioners = _booking_choices()
    patient = None
    search_form = PatientSearchForm(request.GET)
    candidates: list[Any] = []
    may_override = caller.can(Perm.APPOINTMENT_OVERRIDE)
    slots: list[Slot] | None = None
    if request.method == "POST":
        data = _with_chosen_slot(request.POST, clinic)
        form = BookingForm(
            data, treatments=treatments, practitioners=practitioners, may_override=may_override
        )
        if request.POST.get("patient"):
            # A patient this member may not see (or of another clinic) is a 404, as everywhere.
            patient = selectors.patient_get(
                caller=caller, patient_id=request.POST["patient"], audit=False
            )
        if "show_slots" in request.POST:
            # "Show free times" without JavaScript: the same list htmx loads.
            slots = _day_slots(caller, data)
            form = BookingForm(
                initial=data.dict(),
                treatments=treatments,
                practitioners=practitioners,
                may_override=may_override,
            )
        elif form.is_valid() and patient is not None:
            data = form.cleaned_data
            starts_at = local_datetime(clinic, data["date"], data["start_time"])
            if starts_at is None:
                form.add_error(
                    "start_time",
                    "That time does not exist on that date because the clocks go forward. "
                    "Choose another time.",
                )
            else:
                try:
                    appointment = services.appointment_book(
                        caller=caller,
                        patient=patient,
                        treatment=data["treatment"],
                        practitioner=data["practitioner"],
                        starts_at=starts_at,
                        override=bool(data.get("override")),
                        override_reason=data.get("override_reason") or None,
                    )
                except DomainError as exc:
                    form.add_domain_error(exc, BookingForm.ALIASES)
                    slots = _day_slots(caller, request.POST)
                else:
                    messages.success(
                        request,
                        f"Booked {patient.full_name} with {appointment.practitioner.display_name} "
                        f"on {starts_at.strftime('%A %-d %B at %H:%M')}.",
                    )
                    return redirect(_calendar_url(date=data["date"].isoformat(), view="day"))
    else:
        initial: dict[str, Any] = {"date": local_today(clinic)}
        if request.GET.get("date"):
            initial["date"] = _parse_day(request.GET["date"], clinic)[0]
        if request.GET.get("practitioner"):
            initial["practitioner"] = calendar.practitioner_get(
                caller=caller, practitioner_id=request.GET["practitioner"]
            ).pk
        if request.GET.get("patient"):
            patient = selectors.patient_get(
                caller=caller, patient_id=request.GET["patient"], purpose="booking"
            )
            initial["patient"] = patient.pk
        form = BookingForm(
            initial=initial,
            treatments=treatments,
            practitioners=practitioners,
            may_override=may_override,
        )
        query = request.GET.get("q", "").strip()
        if patient is None and query and search_form.is_valid():
            try:
                candidates = selectors.patient_list(caller=caller, search_query=query).patients
            except DomainError as exc:
                search_form.add_domain_error(exc, {"search": "q"})
    return render(
        request,
        "web/calendar/book.html",
        {
            "form": form,
            "patient": patient,
            "search_form": search_form,
            "candidates": candidates,
            "searched": bool(request.GET.get("q", "").strip()),
            "timezone_name": clinic.timezone,
            "slots": slots,
            "slots_tz": clinic.tz,
            "may_override": may_override,
        },
        status=400 if form.errors else 200,
    )


def _with_chosen_slot(post: Any, clinic: Clinic) -> Any:
    """A chosen free slot ("<practitioner id>|<UTC start>") fills practitioner, date and time."""
    chosen = post.get("slot", "")
    if "|" not in chosen or "show_slots" in post:
        return post
    practitioner_id, _, starts = chosen.partition("|")
    try:
        local = dt.datetime.fromisoformat(starts).astimezone(clinic.tz)
    except ValueError:
        return post
    data = post.copy()
    data["practitioner"] = practitioner_id
    data["date"] = local.date().isoformat()
    data["start_time"] = f"{local:%H:%M}"
    return data


def _day_slots(caller: Any, data: Any) -> list[Slot] | None:
    """Free slots on the form's date for its treatment (and practitioner, if chosen)."""
    treatment, day = data.get("treatment"), data.get("date")
    if not treatment or not day:
        return None
    try:
        return scheduling.availability(
            caller=caller,
            treatment_id=treatment,
            start=str(day)[:10],
            end=str(day)[:10],
            practitioner_id=data.get("practitioner") or None,
        )[1]
    except ValidationFailed:
        return None


@member_required(Perm.APPOINTMENT_EDIT)
def book_slots(request: HttpRequest) -> HttpResponse:
    """The free times on the booking form (loaded by htmx when treatment, practitioner or
    date change)."""
    clinic = clinic_of(request)
    error = ""
    try:
        slots: list[Slot] | None = scheduling.availability(
            caller=caller_of(request),
            treatment_id=request.GET.get("treatment"),
            start=request.GET.get("date", "")[:10] or None,
            end=request.GET.get("date", "")[:10] or None,
            practitioner_id=request.GET.get("practitioner") or None,
        )[1]
    except DomainError as exc:
        slots, error = None, exc.detail[:1].upper() + exc.detail[1:] + "."
    return render(
        request,
        "web/calendar/_slots.html",
        {"slots": slots, "slots_tz": clinic.tz, "slots_error": error},
    )


@member_required(Perm.APPOINTMENT_EDIT)
@require_POST
def appointment_status(request: HttpRequest, appointment_id: Any) -> HttpResponse:
    caller = caller_of(request)
    appointment = calendar.appointment_get(caller=caller, appointment_id=appointment_id)
    local_day = appointment.starts_at.astimezone(clinic_of(request).tz).date()
    back = safe_next(request, _calendar_url(date=local_day.isoformat(), view="day"))
    form = AppointmentStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose attended, no-show or cancelled.")
        return redirect(back)
    status = form.cleaned_data["status"]
    reason = form.cleaned_data["cancellation_reason"] if status == "cancelled" else None
    try:
        services.appointment_update(
            caller=caller, appointment=appointment, status=status, cancellation_reason=reason
        )
    except DomainError as exc:
        messages.error(request, exc.detail[:1].upper() + exc.detail[1:] + ".")
    else:
        messages.success(
            request,
            f"The {appointment.starts_at.astimezone(clinic_of(request).tz):%H:%M} appointment "
            f"is now marked {appointment.get_status_display().lower()}.",
        )
    return redirect(back)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@member_required(Perm.APPOINTMENT_EDIT)
@require_http_methods(["GET", "POST"])
def appointment_move(request: HttpRequest, appointment_id: Any) -> HttpResponse:
    """Reschedule: the form (works without JavaScript, by keyboard) and the target of a drag
    on the calendar (an htmx POST answered with a refresh or the reason it was refused)."""
    caller = caller_of(request)
    clinic = clinic_of(request)
    appointment = calendar.appointment_get(caller=caller, appointment_id=appointment_id)
    practitioners = Practitioner.objects.filter(
        pk__in=[p.pk for p in calendar.practitioners_for(caller)]
    ).order_by("display_name")
    may_override = caller.can(Perm.APPOINTMENT_OVERRIDE)
    local_start = appointment.starts_at.astimezone(clinic.tz)
    back = safe_next(request, _calendar_url(date=local_start.date().isoformat(), view="day"))
    if appointment.status not in CHANGEABLE_STATUSES:
        messages.error(request, "Only booked or confirmed appointments can be moved.")
        return redirect(back)
    if request.method == "POST":
        form = MoveForm(request.POST, practitioners=practitioners, may_override=may_override)
        if form.is_valid():
            data = form.cleaned_data
            starts_at = local_datetime(clinic, data["date"], data["start_time"])
            if starts_at is None:
                form.add_error(
                    "start_time",
                    "That time does not exist on that date because the clocks go forward. "
                    "Choose another time.",
                )
            else:
                try:
                    services.appointment_update(
                        caller=caller,
                        appointment=appointment,
                        starts_at=starts_at,
                        practitioner=data["practitioner"],
                        override=bool(data.get("override")),
                        override_reason=data.get("override_reason") or None,
                    )
                except DomainError as exc:
                    form.add_domain_error(exc, MoveForm.ALIASES)
                else:
                    done = (
                        f"Moved {appointment.patient.full_name or 'the appointment'} to "
                        f"{starts_at:%H:%M} on {starts_at:%A} {starts_at.day} {starts_at:%B} "
                        f"with {appointment.practitioner.display_name}."
                    )
                    messages.success(request, done)
                    target = _calendar_url(date=data["date"].isoformat(), view="day")
                    if _is_htmx(request):
                        response = HttpResponse(status=204)
                        response["HX-Redirect"] = safe_next(request, target)
                        return response
                    return redirect(safe_next(request, target))
        if _is_htmx(request):
            # A refused drag: say why where the calendar announces changes, and offer the
            # form (with the override, for those who may) prefilled with the drop.
            return render(
                request,
                "web/calendar/_move_refused.html",
                {
                    "errors": [e for errors in form.errors.values() for e in errors],
                    "may_override": may_override,
                    "form_url": reverse("web:appointment_move", args=[appointment.pk])
                    + "?"
                    + query_string(
                        date=request.POST.get("date"),
                        start_time=request.POST.get("start_time"),
                        practitioner=request.POST.get("practitioner"),
                    ),
                },
            )
    else:
        form = MoveForm(
            initial={
                "date": request.GET.get("date") or local_start.date(),
                "start_time": request.GET.get("start_time") or local_start.time(),
                "practitioner": request.GET.get("practitioner") or appointment.practitioner_id,
            },
            practitioners=practitioners,
            may_override=may_override,
        )
    return render(
        request,
        "web/calendar/move.html",
        {
            "form": form,
            "appointment": appointment,
            "back": back,
            "timezone_name": clinic.timezone,
        },
        status=400 if form.errors else 200,
    )
