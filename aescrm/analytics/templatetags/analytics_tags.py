from __future__ import annotations

from typing import Any

from django import template

from aescrm.analytics.aggregation import raw_days
from aescrm.analytics.services import is_opted_out

register = template.Library()


@register.inclusion_tag("analytics/_account_panel.html", takes_context=True)
def analytics_panel(context: Any) -> dict[str, Any]:
    """The usage analytics choice on the member's own account page."""
    request = context["request"]
    return {
        "opted_out": is_opted_out(request.user.pk),
        "raw_days": raw_days(),
        "csrf_token": context.get("csrf_token"),
    }
