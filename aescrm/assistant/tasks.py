"""Huey tasks of the website assistant: the nightly retention of anonymous chats."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from aescrm.accounts.models import Clinic
from aescrm.assistant.retention import purge_anonymous_chats
from aescrm.core.tenancy import clinic_scope, unscoped


@db_periodic_task(crontab(hour="3", minute="20"))
def purge_chats() -> int:
    """Every night: each clinic's anonymous chats past their retention period."""
    with unscoped("list clinics for chat retention"):
        clinic_ids = list(Clinic.objects.values_list("pk", flat=True))
    total = 0
    for clinic_id in clinic_ids:
        with clinic_scope(clinic_id):
            total += purge_anonymous_chats()
    return total
