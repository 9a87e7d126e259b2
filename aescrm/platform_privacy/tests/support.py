"""Helpers for the account requests tests: an AES-CRM staff member and requests they log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from aescrm.accounts.models import User
from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import unscoped
from aescrm.platform_privacy import account_requests
from aescrm.platform_privacy.models import AccountRequest
from aescrm.web.tests.support import verified_client


def staff_user(email: str = "dpo@aescrm.example") -> User:
    return User.objects.create_user(email, "a-long-staff-password-1", is_staff=True)


def staff_client(user: User | None = None) -> Client:
    """Signed in as AES-CRM staff, second factor done (the platform pages require it)."""
    return verified_client(user or staff_user())


def log(
    staff: User,
    subject: User,
    *,
    kind: str = "access",
    received_on: dt.date | None = None,
    **extra: Any,
) -> AccountRequest:
    return account_requests.account_request_create(
        staff=staff,
        subject_email=subject.email,
        kind=kind,
        received_on=received_on or account_requests.platform_today(),
        channel=extra.pop("channel", "email"),
        **extra,
    )


def platform_actions(request: AccountRequest) -> list[tuple[str, Any]]:
    """(action, clinic) of the audit entries about ``request``, oldest first."""
    with unscoped("test reads the audit log"):
        return [
            (e.action, e.clinic_id)
            for e in AuditEntry.all_chains.filter(
                object_type="account_request", object_id=str(request.pk)
            ).order_by("occurred_at", "pk")
        ]
