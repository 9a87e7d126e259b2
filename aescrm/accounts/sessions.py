"""Signed-in sessions of a user: found and ended at once (account closure, member removal).

Sessions are Django database sessions keyed by a random id, not by the user, so
each live one is decoded; live sessions are few (they end after 30 idle minutes).
"""

from __future__ import annotations

import uuid

from django.contrib.sessions.models import Session
from django.utils import timezone

from aescrm.accounts.middleware import SESSION_CLINIC_KEY


def sessions_of(user_id: uuid.UUID | str) -> list[Session]:
    """The user's live sessions."""
    found = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()):
        if session.get_decoded().get("_auth_user_id") == str(user_id):
            found.append(session)
    return found


def end_sessions_in_clinic(user_id: uuid.UUID | str, clinic_id: uuid.UUID | str) -> int:
    """End the user's sessions that have ``clinic_id`` as their active clinic; their
    sessions in their other clinics go on. Returns how many ended."""
    ended = 0
    for session in sessions_of(user_id):
        if session.get_decoded().get(SESSION_CLINIC_KEY) == str(clinic_id):
            session.delete()
            ended += 1
    return ended
