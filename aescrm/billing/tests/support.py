"""Helpers for the account-state tests: put a clinic on a subscription state directly."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aescrm.billing.models import Subscription
from aescrm.testing.fixtures import ClinicWorld


def subscribe(world: ClinicWorld, status: str, **fields: Any) -> Subscription:
    """The clinic's subscription row, created or changed, as a Stripe webhook would leave it."""
    row, _ = Subscription.objects.update_or_create(
        clinic=world.clinic, defaults={"plan": "growth", "status": status, **fields}
    )
    return row


def overdue_for(world: ClinicWorld, days: int, now: dt.datetime | None = None) -> Subscription:
    """Payment overdue since ``days`` ago (the grace period is 14 days)."""
    from django.utils import timezone

    since = (now or timezone.now()) - dt.timedelta(days=days)
    return subscribe(world, "past_due", payment_overdue_since=since)
