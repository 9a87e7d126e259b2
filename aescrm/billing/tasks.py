"""Billing's periodic work: overage to Stripe every quarter of an hour (0033)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from aescrm.billing.overage import report_overage


@db_periodic_task(crontab(minute="*/15"))
def report_usage_overage() -> int:
    """Units past the plan limits of clinics that allow overage, as Stripe meter events."""
    return report_overage()
