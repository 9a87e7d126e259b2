from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def pounds(pence: int | None) -> str:
    """Pence as pounds for people: £1,234.56; nothing known is a dash."""
    if pence is None:
        return "—"
    return f"£{pence / 100:,.2f}"


@register.filter
def duration(seconds: float | None) -> str:
    """A speed-to-lead: minutes under two hours, then hours, then days."""
    if seconds is None:
        return "—"
    minutes = seconds / 60
    if minutes < 120:
        return f"{minutes:.0f} min"
    if minutes < 48 * 60:
        return f"{minutes / 60:.1f} h"
    return f"{minutes / 1440:.1f} days"


@register.filter
def ratio(value: object) -> str:
    return "—" if value is None else f"{value:.2f}"
