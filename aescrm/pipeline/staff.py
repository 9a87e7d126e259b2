"""Who may be given leads and tasks: active members of the same clinic whose role works leads."""

from __future__ import annotations

import uuid
from typing import Any

from aescrm.accounts.models import Membership, User
from aescrm.accounts.permissions import Perm, Role, has_perm
from aescrm.core.problems import ValidationFailed


def _lead_roles() -> list[str]:
    return [r.value for r in Role if has_perm(r.value, Perm.ENQUIRY_EDIT)]


def staff_of(clinic_id: uuid.UUID) -> list[User]:
    """Members who work leads, in a stable order (joined first)."""
    memberships = (
        Membership.objects.filter(clinic_id=clinic_id, role__in=_lead_roles(), user__is_active=True)
        .select_related("user")
        .order_by("created_at", "user_id")
    )
    return [m.user for m in memberships]


def round_robin_pool(clinic_id: uuid.UUID) -> list[uuid.UUID]:
    """Receptionists take new leads in turn; a clinic without any shares them among lead staff."""
    rows = list(
        Membership.objects.filter(clinic_id=clinic_id, role__in=_lead_roles(), user__is_active=True)
        .order_by("created_at", "user_id")
        .values_list("user_id", "role")
    )
    receptionists = [uid for uid, role in rows if role == Role.RECEPTIONIST]
    return receptionists or [uid for uid, _ in rows]


def staff_member(clinic_id: uuid.UUID, user_id: Any, *, field: str) -> User:
    """The member, or a ValidationFailed naming ``field`` (other clinics' users are unknown)."""
    try:
        uid = uuid.UUID(str(user_id))
    except ValueError as exc:
        raise ValidationFailed("not a staff member's id", field=field) from exc
    membership = (
        Membership.objects.filter(
            clinic_id=clinic_id, user_id=uid, role__in=_lead_roles(), user__is_active=True
        )
        .select_related("user")
        .first()
    )
    if membership is None:
        raise ValidationFailed("no such staff member in this clinic", field=field)
    return membership.user
