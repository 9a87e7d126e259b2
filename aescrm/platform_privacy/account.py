"""Account holders' own rights (AES-CRM Ltd is the controller): their data, and closing.

``account_export`` gathers what the platform holds about a user: profile,
memberships, sign-ins and live sessions, metadata of the API keys they made,
and the audit entries where they were the actor. ``account_close`` ends every
session and key at once, scrubs the personal fields and keeps the row (and so
the id every audit entry names). Both are audited on the platform chain and
logged in the register of account holders' requests (``account_requests``).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from aescrm.accounts.models import ApiKey, Membership, User
from aescrm.accounts.permissions import Role
from aescrm.accounts.sessions import sessions_of as live_sessions_of
from aescrm.analytics.services import usage_export, usage_unlink
from aescrm.audit.models import AuditEntry
from aescrm.audit.services import audit_record
from aescrm.core.problems import Conflict, ValidationFailed
from aescrm.core.tenancy import unscoped
from aescrm.platform_privacy.account_requests import account_request_self_service
from aescrm.privacy.models import Kind

CLOSED_DOMAIN = "closed.invalid"


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment else None


def sessions_of(user: User) -> list[Session]:
    """The user's live sessions."""
    return live_sessions_of(user.pk)


def account_export(user: User) -> dict[str, Any]:
    with unscoped("account holder's own data: entries of every clinic where they acted"):
        sign_ins = list(
            AuditEntry.all_chains.filter(
                clinic__isnull=True, object_type="user", object_id=str(user.pk)
            )
            .order_by("occurred_at")
            .values("occurred_at", "action", "ip", "user_agent")
        )
        acted = list(
            AuditEntry.all_chains.filter(actor_type="user", actor_id=str(user.pk))
            .order_by("occurred_at")
            .values("occurred_at", "clinic_id", "action", "object_type", "object_id", "ip")
        )
        keys = list(
            ApiKey.objects.filter(created_by=user).select_related("clinic").order_by("created_at")
        )
    data = {
        "format": "aescrm-account-export/1",
        "exported_at": timezone.now().isoformat(),
        "controller": "AES-CRM Ltd",
        "profile": {
            "id": str(user.pk),
            "email": user.email,
            "full_name": user.full_name,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "is_active": user.is_active,
            "two_factor_devices": TOTPDevice.objects.filter(user=user, confirmed=True).count(),
        },
        "memberships": [
            {
                "clinic": m.clinic.name,
                "clinic_id": str(m.clinic_id),
                "role": m.role,
                "since": _iso(m.created_at),
            }
            for m in Membership.objects.filter(user=user).select_related("clinic")
        ],
        "sign_ins": [
            {
                "at": _iso(e["occurred_at"]),
                "action": e["action"],
                "ip": e["ip"],
                "user_agent": e["user_agent"],
            }
            for e in sign_ins
        ],
        "sessions": [{"expires_at": _iso(s.expire_date)} for s in sessions_of(user)],
        "api_keys": [
            {
                "name": k.name,
                "prefix": k.prefix,
                "clinic": k.clinic.name,
                "scopes": k.scopes,
                "created_at": _iso(k.created_at),
                "revoked_at": _iso(k.revoked_at),
            }
            for k in keys
        ],
        "audit_entries_as_actor": [
            {
                "at": _iso(e["occurred_at"]),
                "clinic_id": str(e["clinic_id"]) if e["clinic_id"] else None,
                "action": e["action"],
                "object_type": e["object_type"],
                "object_id": e["object_id"],
                "ip": e["ip"],
            }
            for e in acted
        ],
        "usage_analytics": usage_export(user),
    }
    with transaction.atomic():
        audit_record("account.export", object_type="user", object_id=user.pk, platform=True)
        # The register shows it: an access request, answered there and then.
        account_request_self_service(user=user, kind=Kind.ACCESS)
    return data


def last_owner_of(user: User) -> list[str]:
    """Names of the clinics where ``user`` is the only owner."""
    names = []
    for m in Membership.objects.filter(user=user, role=Role.OWNER).select_related("clinic"):
        others = (
            Membership.objects.filter(clinic_id=m.clinic_id, role=Role.OWNER)
            .exclude(user=user)
            .filter(user__is_active=True)
        )
        if not others.exists():
            names.append(m.clinic.name)
    return names


def account_close(*, user: User, password: str) -> None:
    if not password or not user.check_password(password):
        raise ValidationFailed("that is not your password", field="password")
    with transaction.atomic():
        sole = last_owner_of(user)
        if sole:
            raise Conflict(
                f"you are the only owner of {', '.join(sole)}: make another member an owner "
                "first, so the clinic is not left without one",
                field="password",
            )
        with unscoped("closing an account: its keys and memberships in every clinic"):
            for key in ApiKey.objects.filter(created_by=user, revoked_at__isnull=True):
                ApiKey.objects.filter(pk=key.pk).update(revoked_at=timezone.now())
                audit_record(
                    "api_key.revoke",
                    object_type="api_key",
                    object_id=key.pk,
                    clinic_id=key.clinic_id,
                    detail={"reason": "account closed"},
                )
            for membership in Membership.objects.filter(user=user):
                membership.delete()
                audit_record(
                    "membership.delete",
                    object_type="user",
                    object_id=user.pk,
                    clinic_id=membership.clinic_id,
                    detail={"role": membership.role, "reason": "account closed"},
                )
        for session in sessions_of(user):
            session.delete()
        TOTPDevice.objects.filter(user=user).delete()
        usage_unlink(user)
        # Scrubbed, not deleted: audit entries and records name this id.
        user.email = f"closed-{uuid.uuid4().hex}@{CLOSED_DOMAIN}"
        user.full_name = ""
        user.is_active = False
        user.is_staff = False
        user.set_unusable_password()
        user.save()
        audit_record(
            "account.close",
            object_type="user",
            object_id=user.pk,
            platform=True,
            detail={"fields_scrubbed": ["email", "full_name", "password"]},
        )
        # The register keeps the erasure request, linked to the scrubbed row.
        account_request_self_service(user=user, kind=Kind.ERASURE)
