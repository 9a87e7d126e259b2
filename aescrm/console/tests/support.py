"""Helpers for the platform console's tests: AES-CRM staff and a little account data."""

from __future__ import annotations

import datetime as dt
import uuid

from django.test import Client

from aescrm.accounts.models import Clinic, User
from aescrm.analytics.models import FeatureDaily, FeatureEvent
from aescrm.billing.models import Subscription
from aescrm.web.tests.support import verified_client


def staff_user(email: str = "ops@aescrm.example") -> User:
    return User.objects.create_user(email, "a-long-staff-password-1", is_staff=True)


def staff_client() -> Client:
    """Signed in as AES-CRM staff, second factor done."""
    return verified_client(staff_user())


def raw(clinic: Clinic, feature: str, at: dt.datetime, user: User | None = None) -> None:
    FeatureEvent.objects.create(clinic=clinic, feature=feature, occurred_at=at, user=user)


def daily(clinic: Clinic, feature: str, day: dt.date, count: int = 1, users: int = 0) -> None:
    FeatureDaily.objects.create(clinic=clinic, feature=feature, day=day, count=count, users=users)


def subscribe(clinic: Clinic, status: str, **fields: object) -> Subscription:
    return Subscription.objects.create(
        clinic=clinic, plan=str(fields.pop("plan", "growth")), status=status, **fields
    )


def console_pages(clinic_id: uuid.UUID) -> list[str]:
    return ["/platform/", "/platform/clinics/", f"/platform/clinics/{clinic_id}/"]
