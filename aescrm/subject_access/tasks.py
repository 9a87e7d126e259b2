"""Huey tasks: build an export when it is requested; wipe expired ones every hour."""

from __future__ import annotations

import uuid

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from aescrm.accounts.models import Clinic
from aescrm.core.tenancy import clinic_scope, unscoped
from aescrm.subject_access import services


@db_task()
def generate_export(clinic_id: str, export_id: str) -> bool:
    """Queued on commit by ``export_request``; does nothing for an export already built."""
    with clinic_scope(uuid.UUID(clinic_id)):
        return services.export_generate(uuid.UUID(export_id))


@db_periodic_task(crontab(minute="17"))
def expire_exports() -> int:
    """Every hour: each clinic's downloadable exports past their expiry are wiped."""
    with unscoped("list clinics for subject-access export expiry"):
        clinic_ids = list(Clinic.objects.values_list("pk", flat=True))
    total = 0
    for clinic_id in clinic_ids:
        with clinic_scope(clinic_id):
            total += services.expire_exports()
    return total
