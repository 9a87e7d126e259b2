"""The period: the subscription's current one; without one, the calendar month in London
(so the BST change and midnight on the 1st fall where a clinic expects)."""

from __future__ import annotations

import datetime as dt

from aescrm.billing import usage
from aescrm.billing.models import Metric, UsageCounter
from aescrm.billing.tests.usage_support import subscribe
from aescrm.testing.fixtures import ClinicWorld

UTC = dt.UTC


def _counters(world: ClinicWorld) -> list[tuple[dt.datetime, dt.datetime, int]]:
    return [
        (c.period_start, c.period_end, c.count)
        for c in UsageCounter.objects.filter(clinic=world.clinic).order_by("period_start")
    ]


def test_a_clinic_not_billed_counts_by_the_london_calendar_month(clinic_a: ClinicWorld) -> None:
    # 23:30 UTC on 31 March is 00:30 on 1 April in London (BST): April's count.
    usage.increment(
        clinic_a.clinic.pk, Metric.EMAILS, now=dt.datetime(2027, 3, 31, 22, 59, tzinfo=UTC)
    )
    usage.increment(
        clinic_a.clinic.pk, Metric.EMAILS, now=dt.datetime(2027, 3, 31, 23, 30, tzinfo=UTC)
    )
    usage.increment(
        clinic_a.clinic.pk, Metric.EMAILS, now=dt.datetime(2027, 4, 30, 22, 59, tzinfo=UTC)
    )
    assert _counters(clinic_a) == [
        (dt.datetime(2027, 3, 1, 0, 0, tzinfo=UTC), dt.datetime(2027, 3, 31, 23, 0, tzinfo=UTC), 1),
        (
            dt.datetime(2027, 3, 31, 23, 0, tzinfo=UTC),
            dt.datetime(2027, 4, 30, 23, 0, tzinfo=UTC),
            2,
        ),
    ]


def test_a_subscription_counts_by_its_own_period_and_starts_again_at_renewal(
    clinic_a: ClinicWorld,
) -> None:
    first = usage.Period(
        dt.datetime(2026, 12, 15, 9, 30, tzinfo=UTC), dt.datetime(2027, 1, 15, 9, 30, tzinfo=UTC)
    )
    subscription = subscribe(clinic_a, period=first)
    usage.increment(clinic_a.clinic.pk, Metric.SMS_SEGMENTS, 3, now=first.start)
    usage.increment(
        clinic_a.clinic.pk, Metric.SMS_SEGMENTS, 2, now=dt.datetime(2027, 1, 2, tzinfo=UTC)
    )
    # Stripe renews the subscription: the next period starts from zero.
    subscription.current_period_start, subscription.current_period_end = (
        first.end,
        dt.datetime(2027, 2, 15, 9, 30, tzinfo=UTC),
    )
    subscription.save()
    usage.increment(clinic_a.clinic.pk, Metric.SMS_SEGMENTS, 4, now=first.end)
    assert _counters(clinic_a) == [
        (first.start, first.end, 5),
        (first.end, subscription.current_period_end, 4),
    ]
    (line,) = [
        u
        for u in usage.usage_for(clinic_a.clinic, now=first.end + dt.timedelta(days=1))
        if u.metric == Metric.SMS_SEGMENTS
    ]
    assert (line.used, line.limit, line.period_start) == (4, 4000, first.end)
