"""Periodic key work run by the Huey worker."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from aescrm.crypto import shredding


@db_periodic_task(crontab(minute="*/5"))
def finish_key_destructions() -> int:
    """Every five minutes: destroy any patient key an erasure promised but did not reach."""
    return shredding.finish_pending()
