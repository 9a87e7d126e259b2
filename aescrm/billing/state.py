"""What a clinic may do, from its subscription: the one answer every gate asks.

- full: trialing or active — everything works.
- grace: payment overdue or the trial over — everything works, with a banner,
  until BILLING_GRACE_DAYS after it began.
- read_only: cancelled, expired, paused, or overdue past the grace period —
  staff can read and export, nothing is sent and nothing is changed.

A clinic without a subscription row is not billed through Stripe (the demo, a
clinic invoiced by hand): full service. See docs/decisions/0031.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from aescrm.billing.models import Status, Subscription

OVERDUE = {Status.PAST_DUE, Status.UNPAID, Status.INCOMPLETE}
ENDED = {Status.CANCELED, Status.INCOMPLETE_EXPIRED, Status.PAUSED}


class Mode(enum.StrEnum):
    FULL = "full"
    GRACE = "grace"
    READ_ONLY = "read_only"


@dataclass(frozen=True)
class AccountState:
    status: str  # a Status value, or "not_billed"
    mode: Mode
    # For the banner staff see on every page; None when there is nothing to say.
    message: str | None = None
    grace_ends_at: dt.datetime | None = None

    @property
    def can_send(self) -> bool:
        return self.mode is not Mode.READ_ONLY

    @property
    def can_change(self) -> bool:
        return self.mode is not Mode.READ_ONLY


NOT_BILLED = AccountState(status="not_billed", mode=Mode.FULL)


def grace_period() -> dt.timedelta:
    return dt.timedelta(days=settings.BILLING_GRACE_DAYS)


def _day(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%-d %B %Y}"


def state_of(subscription: Subscription | None, *, now: dt.datetime | None = None) -> AccountState:
    if subscription is None:
        return NOT_BILLED
    now = now or timezone.now()
    status = Status(subscription.status)
    if status in ENDED:
        return AccountState(
            status=status,
            mode=Mode.READ_ONLY,
            message=(
                "This account's subscription has ended: you can read and export your data, "
                "but nothing is sent or changed. Choose a plan to restore the service."
            ),
        )
    overdue_since: dt.datetime | None = None
    if status in OVERDUE:
        overdue_since = subscription.payment_overdue_since or subscription.updated_at or now
        reason = "A payment is overdue"
    elif (
        status is Status.TRIALING
        and subscription.trial_ends_at
        and now >= subscription.trial_ends_at
    ):
        overdue_since = subscription.trial_ends_at
        reason = f"Your free trial ended on {_day(subscription.trial_ends_at)}"
    if overdue_since is None:
        return AccountState(status=status, mode=Mode.FULL)
    grace_ends = overdue_since + grace_period()
    if now < grace_ends:
        return AccountState(
            status=status,
            mode=Mode.GRACE,
            message=(
                f"{reason}. Everything keeps working until {_day(grace_ends)}; after that the "
                "account becomes read-only until billing is sorted out."
            ),
            grace_ends_at=grace_ends,
        )
    return AccountState(
        status=status,
        mode=Mode.READ_ONLY,
        message=(
            f"{reason} and the grace period ended on {_day(grace_ends)}: you can read and export "
            "your data, but nothing is sent or changed until billing is sorted out."
        ),
        grace_ends_at=grace_ends,
    )


def account_state(clinic_id: uuid.UUID | str, *, now: dt.datetime | None = None) -> AccountState:
    """The clinic's state now. One indexed read; callers on hot paths may cache per request."""
    subscription = Subscription.objects.filter(clinic_id=clinic_id).first()
    return state_of(subscription, now=now)
