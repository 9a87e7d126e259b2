"""Legal holds: a reason that stops an erasure entirely (litigation, a regulator's inquiry).

The hold model is built separately; until it is wired in, nothing is held.
"""

from __future__ import annotations

from aescrm.patients.models import Patient


def held(patient: Patient) -> str | None:
    """Why this patient's data must not be erased now, in words for staff; None if free."""
    return None
