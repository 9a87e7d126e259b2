"""Starting and changing a clinic's subscription record (Stripe's side: aescrm.billing.stripe*)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from aescrm.accounts.models import Clinic
from aescrm.audit.services import audit_record
from aescrm.billing.models import Status, Subscription
from aescrm.billing.plans import catalogue


def trial_start(*, clinic: Clinic, plan_key: str | None = None) -> Subscription:
    """A new clinic's free trial of ``plan_key`` (the default plan if not given)."""
    plans = catalogue()
    plan = plans.get(plan_key) if plan_key else plans.default
    now = timezone.now()
    with transaction.atomic():
        subscription, created = Subscription.objects.get_or_create(
            clinic=clinic,
            defaults={
                "plan": plan.key,
                "status": Status.TRIALING,
                "trial_ends_at": now + dt.timedelta(days=plans.trial_days),
                "current_period_start": now,
                "current_period_end": now + dt.timedelta(days=plans.trial_days),
            },
        )
        if created:
            audit_record(
                "billing.trial_start",
                object_type="clinic",
                object_id=clinic.pk,
                clinic_id=clinic.pk,
                detail={"plan": plan.key, "trial_days": plans.trial_days},
            )
    return subscription
