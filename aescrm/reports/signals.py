"""Speed-to-lead bookkeeping and the SQLite median function the reports use.

``Enquiry.first_response_at`` is set the first time an enquiry is saved with a
status other than "new" (until messaging records staff replies, leaving "new"
is the first response). It is written with a guarded UPDATE after the save, so
it is set once, whatever ``update_fields`` the save used, and never moved.
"""

from __future__ import annotations

import statistics
from typing import Any

from django.db.backends.signals import connection_created
from django.db.models.signals import post_save
from django.utils import timezone

from aescrm.patients.models import Enquiry, EnquiryStatus


def _first_response(sender: Any, instance: Enquiry, created: bool, **kwargs: Any) -> None:
    if instance.status == EnquiryStatus.NEW or instance.first_response_at is not None:
        return
    now = timezone.now()
    updated = Enquiry.objects.filter(pk=instance.pk, first_response_at__isnull=True).update(
        first_response_at=now
    )
    if updated:
        instance.first_response_at = now


class _Median:
    """SQLite aggregate ``aescrm_median(x)``: the median of the non-null values."""

    def __init__(self) -> None:
        self.values: list[float] = []

    def step(self, value: Any) -> None:
        if value is not None:
            self.values.append(float(value))

    def finalize(self) -> float | None:
        return statistics.median(self.values) if self.values else None


def _register_sqlite_median(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate("aescrm_median", 1, _Median)


def connect_signals() -> None:
    post_save.connect(_first_response, sender=Enquiry, dispatch_uid="aescrm-first-response")
    connection_created.connect(_register_sqlite_median, dispatch_uid="aescrm-sqlite-median")
