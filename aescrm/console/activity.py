"""Which clinic used which feature on which day: daily counts joined with the raw events
not yet counted, so the console is exact whether or not last night's aggregation ran."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import Count, Max
from django.db.models.functions import TruncDate

from aescrm.analytics.aggregation import start_of_day
from aescrm.analytics.models import FeatureDaily, FeatureEvent


@dataclass(frozen=True)
class Use:
    clinic_id: uuid.UUID
    feature: str
    day: dt.date
    count: int


def uses_since(since: dt.date, clinic_id: uuid.UUID | None = None) -> list[Use]:
    """Every (clinic, feature, UTC day) with events from ``since`` on, each counted once."""
    daily = FeatureDaily.objects.filter(day__gte=since)
    raw = FeatureEvent.objects.filter(occurred_at__gte=start_of_day(since))
    if clinic_id is not None:
        daily = daily.filter(clinic_id=clinic_id)
        raw = raw.filter(clinic_id=clinic_id)
    # Days up to the last one aggregated come from the counts; later ones from raw events.
    last_counted = FeatureDaily.objects.aggregate(last=Max("day"))["last"]
    if last_counted is not None:
        raw = raw.filter(occurred_at__gte=start_of_day(last_counted + dt.timedelta(days=1)))
    uses = [
        Use(clinic_id=r.clinic_id, feature=r.feature, day=r.day, count=r.count)
        for r in daily.only("clinic_id", "feature", "day", "count")
    ]
    uses += [
        Use(clinic_id=r["clinic_id"], feature=r["feature"], day=r["day"], count=r["n"])
        for r in raw.annotate(day=TruncDate("occurred_at", tzinfo=dt.UTC))
        .values("clinic_id", "feature", "day")
        .annotate(n=Count("id"))
        .order_by()
    ]
    return uses
