"""Helpers for the usage tests: a clinic on a plan, this period's counts, sending for real."""

from __future__ import annotations

import datetime as dt

from aescrm.billing import usage
from aescrm.billing.models import Metric, Status, Subscription, UsageCounter
from aescrm.core.tenancy import clinic_scope
from aescrm.messaging import services, worker
from aescrm.messaging.models import Message
from aescrm.testing.fixtures import ClinicWorld

# Midday in London, mid-month: nothing is held for quiet hours and the period is December.
NOON = dt.datetime(2026, 12, 12, 12, 0, tzinfo=dt.UTC)
DECEMBER = usage.Period(
    dt.datetime(2026, 12, 1, tzinfo=dt.UTC), dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
)


def subscribe(
    world: ClinicWorld,
    plan: str = "growth",
    period: usage.Period = DECEMBER,
    **fields: object,
) -> Subscription:
    """An active subscription to ``plan`` whose current period is ``period``."""
    return Subscription.objects.create(
        clinic=world.clinic,
        plan=plan,
        status=Status.ACTIVE,
        current_period_start=period.start,
        current_period_end=period.end,
        **fields,
    )


def counted(world: ClinicWorld, metric: str, period: usage.Period = DECEMBER) -> int:
    found = UsageCounter.objects.filter(
        clinic=world.clinic, metric=metric, period_start=period.start
    ).first()
    return found.count if found else 0


def use(world: ClinicWorld, metric: Metric, n: int, now: dt.datetime = NOON) -> None:
    """Count ``n`` units as if they had been sent earlier this period."""
    usage.increment(world.clinic.pk, metric, n, now=now)


def queue_sms(world: ClinicWorld, phone: str, body: str, now: dt.datetime = NOON) -> Message:
    patient = world.make_patient(phone=phone)
    with clinic_scope(world.clinic.pk):
        return services.message_queue(
            caller=world.caller(), patient=patient, body=body, kind="service", now=now
        )


def queue_email(world: ClinicWorld, address: str, now: dt.datetime = NOON) -> Message:
    patient = world.make_patient(email=address)
    with clinic_scope(world.clinic.pk):
        return services.message_queue(
            caller=world.caller(),
            patient=patient,
            body="Your check-up is due",
            kind="service",
            channel="email",
            subject="Check-up reminder",
            now=now,
        )


def run_worker(world: ClinicWorld, now: dt.datetime = NOON) -> int:
    with clinic_scope(world.clinic.pk):
        return worker.process_clinic(now=now)


def reload(world: ClinicWorld, message: Message) -> Message:
    with clinic_scope(world.clinic.pk):
        return Message.objects.get(pk=message.pk)
