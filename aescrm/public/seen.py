"""The widget's "I am on this clinic's website" beacon (docs/decisions/0030).

widget.js sends one bodiless POST per browser session. The first one from a
page on one of the clinic's own domains stamps ``Clinic.widget_first_seen_at``
(its onboarding checklist ticks "put the widget on your website"). After that
the answer comes from this process's memory, with no database work: every
visitor of every clinic's site sends the beacon, so it must cost nothing.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from aescrm.accounts.models import Clinic
from aescrm.audit.services import audit_record
from aescrm.core.tenancy import clinic_scope
from aescrm.public import cors

# Public keys of clinics already seen; bounded so a flood of keys cannot grow it forever.
_SEEN: set[str] = set()
_SEEN_MAX = 50_000


def page_origin(origin: str | None, referer: str) -> str | None:
    """The Origin header, or the origin of the Referer when a browser sent no Origin."""
    if origin:
        return origin
    try:
        parts = urlsplit(referer)
    except ValueError:
        return None
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return None


def widget_seen(public_key: str, origin: str | None) -> bool | None:
    """Record the first visit; None when no clinic has the key, False when the page
    is not on one of the clinic's domains, True otherwise."""
    if public_key in _SEEN:
        return True
    clinic = (
        Clinic.objects.filter(public_key=public_key)
        .only("id", "website_domains", "widget_first_seen_at")
        .first()
    )
    if clinic is None:
        return None
    if clinic.widget_first_seen_at is None:
        if origin is None or not cors.origin_allowed(clinic, origin):
            return False
        with clinic_scope(clinic.pk), transaction.atomic():
            stamped = Clinic.objects.filter(pk=clinic.pk, widget_first_seen_at__isnull=True).update(
                widget_first_seen_at=timezone.now()
            )
            if stamped:
                audit_record(
                    "clinic.widget_first_seen",
                    object_type="clinic",
                    object_id=clinic.pk,
                    clinic_id=clinic.pk,
                )
    if len(_SEEN) >= _SEEN_MAX:
        _SEEN.clear()
    _SEEN.add(public_key)
    return True


def forget_seen() -> None:
    """Tests: start from an empty memory."""
    _SEEN.clear()
