"""Huey tasks: take due automation steps when woken, and every minute for whatever fell due."""

from __future__ import annotations

import uuid

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from aescrm.automation import engine
from aescrm.core.tenancy import clinic_scope


@db_task()
def run_clinic_automations(clinic_id: str) -> int:
    """Queued on commit when an event starts a run with a step due now."""
    with clinic_scope(uuid.UUID(clinic_id)):
        return engine.process_clinic_then_send()


@db_periodic_task(crontab(minute="*"))
def run_due_automations() -> int:
    """Every minute: reminders, waits that ended, and anything a stopped worker missed."""
    return engine.process_all()
