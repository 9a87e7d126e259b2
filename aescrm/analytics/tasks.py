"""Huey tasks of usage analytics."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from aescrm.analytics.aggregation import aggregate


@db_periodic_task(crontab(hour="1", minute="10"))
def aggregate_analytics_nightly() -> dict[str, int]:
    """Every night: yesterday's (and any missed day's) counts, then old raw events deleted."""
    result = aggregate()
    return {"rows_written": result.rows_written, "raw_deleted": result.raw_deleted}
