"""Huey tasks: send a clinic's uploads when they are made, and sweep due retries."""

from __future__ import annotations

import uuid

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from aescrm.conversions import worker
from aescrm.core.tenancy import clinic_scope


@db_task()
def upload_clinic_conversions(clinic_id: str) -> int:
    """Queued on commit when a clinic has new pending uploads."""
    with clinic_scope(uuid.UUID(clinic_id)):
        return worker.process_clinic()


@db_periodic_task(crontab(minute="*"))
def upload_due_conversions() -> int:
    """Every minute: whatever is due (retries after backoff, anything a worker missed)."""
    return worker.process_all()
