"""Huey tasks of the retention engine."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from aescrm.retention.engine import apply_retention


@db_periodic_task(crontab(hour="3", minute="40"))
def apply_retention_nightly() -> dict[str, dict[str, int]]:
    """Every night, after the chat purge: every clinic's retention policies, for real."""
    return {
        r.slug: {c.category: c.removed for c in r.results} for r in apply_retention(dry_run=False)
    }
