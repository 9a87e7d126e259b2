"""Nightly, raw events become counts per clinic, feature and UTC day (events and distinct
members); raw events older than ANALYTICS_RAW_DAYS are then deleted. A rerun recounts and
changes nothing; the command says what it did."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from aescrm.analytics.aggregation import aggregate
from aescrm.analytics.models import FeatureDaily, FeatureEvent
from aescrm.analytics.tests.support import event
from aescrm.testing.fixtures import ClinicWorld

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 28, 1, 0, tzinfo=dt.UTC)


def _daily() -> list[tuple[str, str, dt.date, int, int]]:
    return sorted(
        (r.clinic.slug, r.feature, r.day, r.count, r.users)
        for r in FeatureDaily.objects.select_related("clinic")
    )


@override_settings(ANALYTICS_RAW_DAYS=90)
def test_counts_days_and_deletes_raw_events_past_the_limit(
    clinic_a: ClinicWorld, clinic_b: ClinicWorld
) -> None:
    a, b = clinic_a.clinic.pk, clinic_b.clinic.pk
    owner, manager = clinic_a.users["owner"].pk, clinic_a.users["manager"].pk
    yesterday = dt.datetime(2026, 11, 27, 9, tzinfo=dt.UTC)
    event(a, "sign_in", yesterday, owner)
    event(a, "sign_in", yesterday.replace(hour=23, minute=59), owner)
    event(a, "sign_in", yesterday, manager)
    event(a, "chat_started", yesterday)
    event(b, "chat_started", yesterday)
    old = dt.datetime(2026, 8, 29, 12, tzinfo=dt.UTC)  # 91 days before today
    event(a, "reminder_sent", old)
    kept = dt.datetime(2026, 8, 30, 0, 0, tzinfo=dt.UTC)  # exactly 90 days
    event(a, "reminder_sent", kept)
    event(a, "sign_in", NOW, owner)  # today: not counted until the day is over

    result = aggregate(now=NOW)

    assert _daily() == [
        ("alpha", "chat_started", dt.date(2026, 11, 27), 1, 0),
        ("alpha", "reminder_sent", dt.date(2026, 8, 29), 1, 0),
        ("alpha", "reminder_sent", dt.date(2026, 8, 30), 1, 0),
        ("alpha", "sign_in", dt.date(2026, 11, 27), 3, 2),
        ("bravo", "chat_started", dt.date(2026, 11, 27), 1, 0),
    ]
    assert result.raw_deleted == 1
    assert sorted(FeatureEvent.objects.values_list("occurred_at", flat=True)) == [
        kept,
        *[yesterday] * 4,
        yesterday.replace(hour=23, minute=59),
        NOW,
    ]

    # The next night: today's sign-in is counted, nothing else changes.
    aggregate(now=NOW + dt.timedelta(days=1))
    aggregate(now=NOW + dt.timedelta(days=1))
    assert _daily() == [
        ("alpha", "chat_started", dt.date(2026, 11, 27), 1, 0),
        ("alpha", "reminder_sent", dt.date(2026, 8, 29), 1, 0),
        ("alpha", "reminder_sent", dt.date(2026, 8, 30), 1, 0),
        ("alpha", "sign_in", dt.date(2026, 11, 27), 3, 2),
        ("alpha", "sign_in", dt.date(2026, 11, 28), 1, 1),
        ("bravo", "chat_started", dt.date(2026, 11, 27), 1, 0),
    ]
    # A night later 30 August is past the 90 days: its raw event is gone, its count stays.
    assert FeatureEvent.objects.filter(occurred_at=kept).count() == 0


@override_settings(ANALYTICS_RAW_DAYS=1)
def test_the_command_aggregates_and_reports(clinic_a: ClinicWorld) -> None:
    event(clinic_a.clinic.pk, "chat_started", dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    out = io.StringIO()

    call_command("aggregate_analytics", stdout=out)

    assert out.getvalue().strip() == (
        "Counted 1 day(s) into 1 daily row(s); deleted 1 raw event(s) older than 1 days."
    )
    assert FeatureEvent.objects.count() == 0
    assert _daily() == [("alpha", "chat_started", dt.date(2020, 1, 1), 1, 0)]
