"""Small display helpers for the staff pages."""

from __future__ import annotations

import datetime as dt
import json

from django import template

from aescrm.patients.normalise import format_phone_national

register = template.Library()


@register.filter
def phone_national(value: str | None) -> str:
    """E.164 as a UK caller writes it ("07700 900461"); other countries in international form."""
    return format_phone_national(value) if value else ""


@register.filter
def pounds(pence: int | None) -> str:
    return "" if pence is None else f"£{pence / 100:,.2f}"


@register.filter
def iso_date(value: str | None) -> dt.date | None:
    """A stored ISO date string ("1980-02-01") as a date, for the ``date`` filter."""
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@register.filter
def as_json(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)
