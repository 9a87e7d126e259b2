"""Small helpers shared by the staff views."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Clinic


def caller_of(request: HttpRequest) -> Caller:
    """The signed-in member as a service caller (``member_required`` guarantees one)."""
    caller: Caller = request.caller  # type: ignore[attr-defined]
    return caller


def clinic_of(request: HttpRequest) -> Clinic:
    clinic: Clinic = request.membership.clinic  # type: ignore[attr-defined]
    return clinic


def safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def local_today(clinic: Clinic) -> dt.date:
    return dt.datetime.now(clinic.tz).date()


def local_midnight(clinic: Clinic, day: dt.date) -> dt.datetime:
    """The start of ``day`` in the clinic's time zone, as an aware datetime."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=clinic.tz)


def local_datetime(clinic: Clinic, day: dt.date, at: dt.time) -> dt.datetime | None:
    """``day`` at ``at`` on the clinic's wall clock; None if that time does not exist.

    When the clocks go forward (e.g. 01:30 on the last Sunday of March in
    London) the wall-clock time is skipped; such a booking is refused rather
    than silently moved.
    """
    local = dt.datetime.combine(day, at, tzinfo=clinic.tz)
    round_trip = local.astimezone(dt.UTC).astimezone(clinic.tz)
    if round_trip.replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return local


def query_string(**params: Any) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})
