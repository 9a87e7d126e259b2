"""Daily counts from raw events, then the raw events past ANALYTICS_RAW_DAYS deleted.

Idempotent: each run recounts every whole UTC day before today that still has
raw events, so a missed night is made up and a rerun changes nothing. Raw
events are deleted a whole day at a time, so every day that still has raw
events has all of them and its recount is exact.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from aescrm.analytics.models import FeatureDaily, FeatureEvent


@dataclass(frozen=True)
class AggregationResult:
    days_counted: int
    rows_written: int
    raw_deleted: int


def start_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def raw_days() -> int:
    return int(getattr(settings, "ANALYTICS_RAW_DAYS", 90))


def aggregate(now: dt.datetime | None = None) -> AggregationResult:
    now = now or timezone.now()
    today = now.astimezone(dt.UTC).date()
    rows = (
        FeatureEvent.objects.filter(occurred_at__lt=start_of_day(today))
        .annotate(day=TruncDate("occurred_at", tzinfo=dt.UTC))
        .values("clinic_id", "feature", "day")
        .annotate(n=Count("id"), users=Count("user_id", distinct=True))
        .order_by()
    )
    daily = [
        FeatureDaily(
            clinic_id=r["clinic_id"],
            feature=r["feature"],
            day=r["day"],
            count=r["n"],
            users=r["users"],
        )
        for r in rows
    ]
    cutoff = start_of_day(today - dt.timedelta(days=raw_days()))
    with transaction.atomic():
        FeatureDaily.objects.bulk_create(
            daily,
            update_conflicts=True,
            unique_fields=["clinic", "feature", "day"],
            update_fields=["count", "users"],
        )
        deleted, _ = FeatureEvent.objects.filter(occurred_at__lt=cutoff).delete()
    return AggregationResult(
        days_counted=len({d.day for d in daily}), rows_written=len(daily), raw_deleted=deleted
    )
