"""Huey tasks of the privacy register: the daily reminder of requests falling due."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from aescrm.accounts.models import Clinic
from aescrm.core.tenancy import clinic_scope, unscoped
from aescrm.privacy.reminders import remind_due_requests


@db_periodic_task(crontab(hour="6", minute="30"))
def remind_privacy_deadlines() -> int:
    """Every morning (UTC, before surgeries open): each clinic's requests due within a week."""
    with unscoped("list clinics for privacy request reminders"):
        clinic_ids = list(Clinic.objects.values_list("pk", flat=True))
    total = 0
    for clinic_id in clinic_ids:
        with clinic_scope(clinic_id):
            total += remind_due_requests()
    return total
