"""Legal holds: a reason that stops an erasure entirely (litigation, a regulator's inquiry)."""

from __future__ import annotations

from django.utils import formats, timezone

from aescrm.patients.models import Patient
from aescrm.retention.services import active_hold


def held(patient: Patient) -> str | None:
    """Why this patient's data must not be erased now, in words for staff; None if free."""
    hold = active_hold(patient)
    if hold is None:
        return None
    whose = "this patient's record" if hold.patient_id else "the whole clinic"
    since = formats.date_format(timezone.localtime(hold.placed_at), "j F Y")
    return f"a legal hold on {whose} since {since}: {hold.reason}"
