"""Helpers for the usage analytics tests."""

from __future__ import annotations

import datetime as dt
import uuid

from aescrm.analytics.models import FeatureEvent


def event(
    clinic_id: uuid.UUID, feature: str, at: dt.datetime, user_id: uuid.UUID | None = None
) -> FeatureEvent:
    return FeatureEvent.objects.create(
        clinic_id=clinic_id, feature=feature, occurred_at=at, user_id=user_id
    )


def events() -> list[tuple[str, uuid.UUID, uuid.UUID | None]]:
    return sorted(
        FeatureEvent.objects.values_list("feature", "clinic_id", "user_id"),
        key=lambda row: (row[0], str(row[1]), str(row[2])),
    )
