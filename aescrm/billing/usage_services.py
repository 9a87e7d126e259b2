"""Reading the clinic's usage (members with USAGE_VIEW) and the owner's overage choice."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from aescrm.accounts.caller import Caller
from aescrm.accounts.permissions import Perm
from aescrm.audit.services import audit_record
from aescrm.billing import limits, usage
from aescrm.billing.models import Subscription
from aescrm.core.problems import ValidationFailed


@dataclass(frozen=True)
class UsageReport:
    lines: list[usage.UsageLine]
    notices: list[limits.Notice]
    plan_name: str | None  # None: not billed through a plan (no limits)
    period_start: dt.datetime
    period_end: dt.datetime
    allow_overage: bool
    billed: bool


def usage_report(*, caller: Caller, now: dt.datetime | None = None) -> UsageReport:
    """The caller's clinic's usage this period, with the notices to show."""
    caller.require(Perm.USAGE_VIEW)
    now = now or timezone.now()
    terms = usage.terms_for(caller.clinic_id, now)
    lines = usage.usage_for(caller.clinic_id, now=now)
    return UsageReport(
        lines=lines,
        notices=limits.notices_for(lines, terms),
        plan_name=terms.plan.name if terms.plan else None,
        period_start=terms.period.start,
        period_end=terms.period.end,
        allow_overage=terms.allow_overage,
        billed=terms.plan is not None,
    )


def overage_set(*, caller: Caller, allow: bool) -> Subscription:
    """Allow (or stop) sending past the plan's limits, the overage billed through Stripe.

    Turning it on releases the messages held by a limit straight away.
    """
    caller.require(Perm.USAGE_OVERAGE_MANAGE)
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update().filter(clinic_id=caller.clinic_id).first()
        )
        if subscription is None:
            raise ValidationFailed(
                "this clinic has no plan subscription, so it has no limits to go past",
                field="allow_overage",
            )
        if subscription.allow_overage == allow:
            return subscription
        subscription.allow_overage = allow
        subscription.save(update_fields=["allow_overage", "updated_at"])
        audit_record(
            "billing.overage_set",
            object_type="clinic",
            object_id=caller.clinic_id,
            clinic_id=caller.clinic_id,
            detail={"allow_overage": allow},
        )
    if allow:
        from aescrm.messaging.services import release_held

        release_held(caller.clinic_id)
    return subscription
