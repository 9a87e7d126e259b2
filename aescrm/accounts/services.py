"""Clinics, memberships, API keys and sign-in throttling."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from aescrm.accounts.models import ApiKey, Clinic, LoginFailure, Membership, User
from aescrm.accounts.permissions import SCOPE_VALUES, Role, Scope
from aescrm.audit.services import audit_record
from aescrm.core.problems import ValidationFailed
from aescrm.crypto.keys import create_clinic_keys

API_KEY_PREFIX = "aes_"


def clinic_create(
    *,
    name: str,
    slug: str,
    timezone_name: str = "Europe/London",
    domains: list[str] | None = None,
    automations: bool = True,
) -> Clinic:
    """A new clinic with its keys and, unless ``automations`` is False, the built-in
    automation recipes (reminders, follow-ups, recalls: docs/decisions/0019)."""
    with transaction.atomic():
        clinic = Clinic(name=name, slug=slug, timezone=timezone_name, website_domains=domains or [])
        clinic.full_clean()
        clinic.save()
        create_clinic_keys(clinic.pk)
        audit_record(
            "clinic.create", object_type="clinic", object_id=clinic.pk, clinic_id=clinic.pk
        )
        audit_record(
            "key.create", object_type="clinic_key", object_id=clinic.pk, clinic_id=clinic.pk
        )
        if automations:
            from aescrm.automation.recipes import install_all
            from aescrm.core.tenancy import clinic_scope

            with clinic_scope(clinic.pk):
                install_all()
    return clinic


def membership_set(*, clinic: Clinic, user: User, role: str) -> Membership:
    """Add ``user`` to ``clinic`` with ``role``, or change their role there.

    A new member needs a free seat on the clinic's plan: otherwise LimitReached
    (402) names the limit (``aescrm.billing.limits.seat_available`` asks first).
    """
    if role not in Role.values:
        raise ValidationFailed(f"role must be one of {', '.join(Role.values)}", field="role")
    with transaction.atomic():
        membership = Membership.objects.filter(user=user, clinic=clinic).first()
        if membership is None:
            # A new member takes a seat: the clinic row is locked so two additions at
            # once cannot both take the last one (docs/decisions/0033).
            from aescrm.billing.limits import seat_check

            Clinic.objects.select_for_update().filter(pk=clinic.pk).first()
            seat_check(clinic)
        membership, created = Membership.objects.get_or_create(
            user=user, clinic=clinic, defaults={"role": role}
        )
        old_role = None if created else membership.role
        if not created and membership.role != role:
            membership.role = role
            membership.save(update_fields=["role"])
        if created or old_role != role:
            audit_record(
                "membership.create" if created else "membership.role_change",
                object_type="user",
                object_id=user.pk,
                clinic_id=clinic.pk,
                detail={"role": role, "previous_role": old_role},
            )
    return membership


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_key_create(
    *,
    clinic: Clinic,
    name: str,
    scopes: list[str],
    created_by: User | None = None,
    rate_limit: int | None = None,
) -> tuple[ApiKey, str]:
    """Create a key; returns the row and the key itself, which is never stored."""
    unknown = [s for s in scopes if s not in SCOPE_VALUES]
    if unknown:
        raise ValidationFailed(
            f"unknown scope {unknown[0]!r}; scopes are {', '.join(s.value for s in Scope)}",
            field="scopes",
        )
    if not scopes:
        raise ValidationFailed("an API key needs at least one scope", field="scopes")
    if (
        Scope.CLINIC_EXPORT.value in scopes
        and created_by is not None
        and not Membership.objects.filter(user=created_by, clinic=clinic, role=Role.OWNER).exists()
    ):
        # The whole clinic's data leaves with this key: only an owner may hand it out.
        raise ValidationFailed(
            "only the clinic's owner may create a key with the clinic:export scope",
            field="scopes",
        )
    secret = API_KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        key = ApiKey.objects.create(
            clinic=clinic,
            name=name[:100] or "API key",
            prefix=secret[:12],
            key_hash=hash_api_key(secret),
            scopes=sorted(set(scopes)),
            created_by=created_by,
            rate_limit_per_minute=rate_limit,
        )
        audit_record(
            "api_key.create",
            object_type="api_key",
            object_id=key.pk,
            clinic_id=clinic.pk,
            detail={"scopes": key.scopes},
        )
    return key, secret


def api_key_revoke(*, key: ApiKey) -> None:
    with transaction.atomic():
        ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        audit_record(
            "api_key.revoke", object_type="api_key", object_id=key.pk, clinic_id=key.clinic_id
        )


def api_key_authenticate(secret: str) -> ApiKey | None:
    if not secret.startswith(API_KEY_PREFIX) or len(secret) > 100:
        return None
    # Every API request runs this: no join and no ORDER BY (the hash is unique).
    found = list(ApiKey.objects.filter(key_hash=hash_api_key(secret), revoked_at__isnull=True)[:1])
    return found[0] if found else None


def _account_hash(email: str) -> str:
    return hashlib.sha256(
        f"login|{settings.SECRET_KEY}|{email.strip().lower()}".encode()
    ).hexdigest()


def login_is_locked(email: str) -> bool:
    since = timezone.now() - dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    recent = LoginFailure.objects.filter(
        account_hash=_account_hash(email), occurred_at__gte=since
    ).count()
    return recent >= settings.LOGIN_FAILURE_LIMIT


def login_failed(email: str) -> None:
    LoginFailure.objects.create(account_hash=_account_hash(email))
    # Old failures are useless; drop them while we are here.
    horizon = timezone.now() - dt.timedelta(days=1)
    LoginFailure.objects.filter(occurred_at__lt=horizon).delete()


def login_succeeded(email: str) -> None:
    LoginFailure.objects.filter(account_hash=_account_hash(email)).delete()


def memberships_of(user: User) -> list[Membership]:
    return list(
        Membership.objects.filter(user=user).select_related("clinic").order_by("clinic__name")
    )


def membership_for(user: User, clinic_id: uuid.UUID | str | None) -> Membership | None:
    if clinic_id is None:
        return None
    return (
        Membership.objects.filter(user=user, clinic_id=clinic_id).select_related("clinic").first()
    )
