"""Huey tasks: queue a confirmed bulk send's messages, and pick up any send left unfinished."""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from aescrm.audit.context import Actor, acting_as
from aescrm.core.tenancy import clinic_scope, unscoped
from aescrm.inbox import bulk
from aescrm.inbox.models import BulkSend, BulkStatus

logger = logging.getLogger(__name__)
ACTOR = Actor(type="system", label="Bulk send")
# A send younger than this is still being queued by the task its confirm started.
SWEEP_AFTER = dt.timedelta(minutes=1)


@db_task()
def queue_bulk_send(clinic_id: str, bulk_id: str) -> int:
    """Queued on commit when a bulk send is confirmed."""
    with clinic_scope(uuid.UUID(clinic_id)), acting_as(ACTOR):
        return bulk.bulk_process(uuid.UUID(bulk_id))


@db_periodic_task(crontab(minute="*"))
def sweep_bulk_sends() -> int:
    """Every minute: finish any send whose task did not (a worker stopped half-way)."""
    before = timezone.now() - SWEEP_AFTER
    with unscoped("bulk sends: find the ones still queuing"):
        unfinished = list(
            BulkSend.objects.filter(status=BulkStatus.QUEUING, created_at__lt=before)
            .order_by("created_at")
            .values_list("clinic_id", "pk")
        )
    total = 0
    for clinic_id, bulk_id in unfinished:
        with clinic_scope(clinic_id), acting_as(ACTOR):
            try:
                total += bulk.bulk_process(bulk_id)
            except Exception:
                logger.exception("queuing bulk send %s failed", bulk_id)
    return total
