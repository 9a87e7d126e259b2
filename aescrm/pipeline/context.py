"""Template context: the banner of unresolved speed-to-lead alerts."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from aescrm.core.tenancy import NoClinicScope
from aescrm.pipeline.selectors import open_alerts


def alerts(request: HttpRequest) -> dict[str, Any]:
    caller = getattr(request, "caller", None)
    if caller is None or not getattr(request.user, "is_authenticated", False):
        return {}
    try:
        count, _ = open_alerts(caller=caller)
    except NoClinicScope:  # a page rendered outside the member's clinic scope
        return {}
    return {"lead_alert_count": count}
