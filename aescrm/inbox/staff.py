"""Who a conversation may be assigned to: active members of the clinic who may send messages."""

from __future__ import annotations

import uuid
from typing import Any

from aescrm.accounts.models import Membership, User
from aescrm.accounts.permissions import Perm, Role, has_perm
from aescrm.core.problems import ValidationFailed


def _roles() -> list[str]:
    return [r.value for r in Role if has_perm(r.value, Perm.MESSAGE_SEND)]


def assignable(clinic_id: uuid.UUID) -> list[User]:
    memberships = (
        Membership.objects.filter(clinic_id=clinic_id, role__in=_roles(), user__is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    return [m.user for m in memberships]


def assignee(clinic_id: uuid.UUID, user_id: Any) -> User:
    """The member, or a ValidationFailed naming the field (other clinics' users are unknown)."""
    try:
        uid = uuid.UUID(str(user_id))
    except ValueError as exc:
        raise ValidationFailed("choose a colleague from the list", field="assignee") from exc
    membership = (
        Membership.objects.filter(
            clinic_id=clinic_id, user_id=uid, role__in=_roles(), user__is_active=True
        )
        .select_related("user")
        .first()
    )
    if membership is None:
        raise ValidationFailed("no such colleague in this clinic", field="assignee")
    return membership.user


def name_of(user: User | None) -> str:
    if user is None:
        return ""
    return user.full_name or user.email
