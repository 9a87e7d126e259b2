"""Periodic housekeeping run by the Huey worker."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from aescrm.core.maintenance import refresh_planner_statistics


@db_periodic_task(crontab(hour="3", minute="30"))
def refresh_statistics() -> None:
    """Nightly, when clinics are closed: keep the query planner's row counts current."""
    refresh_planner_statistics()
