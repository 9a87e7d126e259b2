"""Huey tasks: send a clinic's messages when queued, and sweep whatever is due."""

from __future__ import annotations

import uuid

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from aescrm.core.tenancy import clinic_scope
from aescrm.messaging import worker


@db_task()
def send_clinic_messages(clinic_id: str) -> int:
    """Queued on commit when a message is queued."""
    with clinic_scope(uuid.UUID(clinic_id)):
        return worker.process_clinic()


@db_periodic_task(crontab(minute="*"))
def send_due_messages() -> int:
    """Every minute: messages out of quiet hours, retries after backoff, missed ones."""
    return worker.process_all()
