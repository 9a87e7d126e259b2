"""Settings → Availability: practitioners' hours and breaks, time off, closures, bank holidays.

One page with one small form per change (each works without JavaScript);
owners and managers only. Times are the clinic's wall clock.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from aescrm.accounts.permissions import Perm
from aescrm.core.problems import DomainError, NotFound, ValidationFailed
from aescrm.patients.models import Practitioner, Treatment
from aescrm.scheduling import services
from aescrm.scheduling.bank_holidays import bank_holidays_between
from aescrm.scheduling.models import (
    BankHolidayOpening,
    ClinicClosure,
    PractitionerBreak,
    TimeOff,
)
from aescrm.scheduling.rules import long_date
from aescrm.web.access import member_required
from aescrm.web.helpers import caller_of, clinic_of, local_datetime, local_today

WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _time(value: str, field: str) -> dt.time | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return dt.time.fromisoformat(value)
    except ValueError as exc:
        raise ValidationFailed(f"{value!r} is not a time like 09:00", field=field) from exc


def _date(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError as exc:
        raise ValidationFailed("enter a date like 2026-12-24", field=field) from exc


def _stranded(count: int) -> str:
    if not count:
        return ""
    return (
        f" {count} appointment{'s are' if count != 1 else ' is'} already booked then: "
        "move or cancel them in the calendar."
    )


def _apply(request: HttpRequest) -> str:
    """Carry out the posted change; the message to show."""
    caller = caller_of(request)
    clinic = clinic_of(request)
    action = request.POST.get("action", "")
    if action == "settings":
        step = request.POST.get("slot_step_minutes", "").strip()
        try:
            step_minutes = int(step) if step else None
        except ValueError as exc:
            raise ValidationFailed(
                "enter a whole number of minutes", field="slot_step_minutes"
            ) from exc
        services.settings_update(
            caller=caller,
            closed_on_bank_holidays=request.POST.get("closed_on_bank_holidays") == "on",
            slot_step_minutes=step_minutes,
        )
        return "Availability settings saved."
    if action in ("holiday_open", "holiday_close"):
        day = _date(request.POST.get("day", ""), "day")
        services.bank_holiday_set_open(caller=caller, day=day, is_open=action == "holiday_open")
        state = "open" if action == "holiday_open" else "closed"
        return f"The clinic is now {state} on {long_date(day)}."
    if action == "closure_add":
        first = _date(request.POST.get("first_day", ""), "first_day")
        last_text = request.POST.get("last_day", "").strip()
        last = _date(last_text, "last_day") if last_text else first
        _, stranded = services.closure_add(
            caller=caller, first_day=first, last_day=last, reason=request.POST.get("reason", "")
        )
        return f"Closure added.{_stranded(stranded)}"
    if action == "closure_remove":
        services.closure_remove(caller=caller, closure_id=request.POST.get("closure", ""))
        return "Closure removed."
    if action == "hours":
        practitioner = services.practitioner_get(request.POST.get("practitioner", ""))
        services.week_set(
            caller=caller,
            practitioner=practitioner,
            days={
                n: (
                    _time(request.POST.get(f"starts_{n}", ""), f"day_{n}"),
                    _time(request.POST.get(f"ends_{n}", ""), f"day_{n}"),
                    _time(request.POST.get(f"break_starts_{n}", ""), f"day_{n}"),
                    _time(request.POST.get(f"break_ends_{n}", ""), f"day_{n}"),
                )
                for n in range(7)
            },
        )
        return f"Working hours saved for {practitioner.display_name}."
    if action == "time_off_add":
        practitioner = services.practitioner_get(request.POST.get("practitioner", ""))
        first = _date(request.POST.get("off_first_day", ""), "off_first_day")
        last_text = request.POST.get("off_last_day", "").strip()
        last = _date(last_text, "off_last_day") if last_text else first
        starts = _time(request.POST.get("off_starts", ""), "off_starts") or dt.time(0)
        ends_at_time = _time(request.POST.get("off_ends", ""), "off_ends")
        starts_at = local_datetime(clinic, first, starts)
        # No end time: away to the end of the last day.
        ends_at = (
            local_datetime(clinic, last, ends_at_time)
            if ends_at_time
            else local_datetime(clinic, last + dt.timedelta(days=1), dt.time(0))
        )
        if starts_at is None or ends_at is None:
            raise ValidationFailed(
                "that time does not exist on that date (the clocks go forward)",
                field="off_starts",
            )
        _, stranded = services.time_off_add(
            caller=caller,
            practitioner=practitioner,
            starts_at=starts_at,
            ends_at=ends_at,
            reason=request.POST.get("reason", ""),
        )
        return f"Time off added for {practitioner.display_name}.{_stranded(stranded)}"
    if action == "buffers":
        treatment = services.treatment_get(request.POST.get("treatment", ""))
        minutes = {}
        for field in ("buffer_before_minutes", "buffer_after_minutes"):
            try:
                minutes[field] = int(request.POST.get(field, "0") or 0)
            except ValueError as exc:
                raise ValidationFailed("enter a whole number of minutes", field=field) from exc
        services.treatment_buffers_set(
            caller=caller,
            treatment=treatment,
            before_minutes=minutes["buffer_before_minutes"],
            after_minutes=minutes["buffer_after_minutes"],
        )
        return f"Buffers saved for {treatment.name}."
    if action == "time_off_remove":
        services.time_off_remove(caller=caller, time_off_id=request.POST.get("time_off", ""))
        return "Time off removed."
    raise ValidationFailed("unknown change", field="action")


@member_required(Perm.SCHEDULE_MANAGE)
@require_http_methods(["GET", "POST"])
def availability_settings(request: HttpRequest) -> HttpResponse:
    error: DomainError | None = None
    if request.method == "POST":
        try:
            done = _apply(request)
        except NotFound:
            raise  # another clinic's practitioner, closure or time off: 404, as everywhere
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, done)
            return redirect(reverse("web:availability_settings") + request.POST.get("anchor", ""))
    return render(
        request, "scheduling/settings.html", _context(request, error), status=422 if error else 200
    )


def _context(request: HttpRequest, error: DomainError | None) -> dict[str, Any]:
    clinic = clinic_of(request)
    today = local_today(clinic)
    settings = services.settings_get()
    opened = set(BankHolidayOpening.objects.values_list("day", flat=True))
    holidays = [
        {"day": day, "name": name, "open": day in opened}
        for day, name in sorted(
            bank_holidays_between(today, today + dt.timedelta(days=365)).items()
        )
    ]
    practitioners = []
    for p in Practitioner.objects.filter(active=True).prefetch_related("working_hours"):
        hours = {h.weekday: h for h in p.working_hours.all()}
        breaks = {b.weekday: b for b in PractitionerBreak.objects.filter(practitioner=p)}
        practitioners.append(
            {
                "p": p,
                "days": [
                    {
                        "n": n,
                        "name": WEEKDAY_NAMES[n],
                        "starts": hours[n].starts if n in hours else None,
                        "ends": hours[n].ends if n in hours else None,
                        "break_starts": breaks[n].starts if n in breaks else None,
                        "break_ends": breaks[n].ends if n in breaks else None,
                    }
                    for n in range(7)
                ],
                "time_off": list(
                    TimeOff.objects.filter(practitioner=p, ends_at__gt=timezone.now())
                ),
            }
        )
    return {
        "treatments": list(Treatment.objects.filter(active=True).order_by("name")),
        "may_edit_treatments": caller_of(request).can(Perm.CATALOGUE_EDIT),
        "settings": settings,
        "holidays": holidays,
        "closures": list(ClinicClosure.objects.filter(last_day__gte=today)),
        "practitioners": practitioners,
        "error": error,
        "tz": clinic.tz,
        "timezone_name": clinic.timezone,
    }
