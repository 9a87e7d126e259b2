"""Periodic work run by the Huey worker."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from aescrm.audit.chain import seal_pending


@db_periodic_task(crontab(minute="*"))
def seal_audit_log() -> int:
    """Seal new audit entries into their hash chains every minute."""
    return seal_pending()
