"""Starting and changing a clinic's subscription record (Stripe's side: aescrm.billing.stripe*)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Clinic
from aescrm.accounts.permissions import Perm
from aescrm.audit.services import audit_record
from aescrm.billing import stripe_api, sync
from aescrm.billing.models import Status, Subscription
from aescrm.billing.plans import catalogue
from aescrm.core.problems import DomainError, ValidationFailed


class Unavailable(DomainError):
    """Stripe could not be asked just now (the message says why)."""

    status = 503
    title = "Payment provider unavailable"
    type_slug = "billing-unavailable"


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


def _customer_for(*, clinic: Clinic, email: str) -> str:
    """The clinic's Stripe customer, created (and remembered) the first time it pays."""
    row = Subscription.objects.filter(clinic=clinic).first()
    if row is not None and row.stripe_customer_id:
        return row.stripe_customer_id
    customer_id = stripe_api.customer_create(
        name=clinic.name, email=email, clinic_id=str(clinic.pk)
    )
    with transaction.atomic():
        row = sync.locked_subscription(clinic)
        if row.stripe_customer_id:
            return row.stripe_customer_id  # a second click won the race; Stripe keeps a spare
        row.stripe_customer_id = customer_id
        row.save()
        audit_record(
            "billing.customer_create",
            object_type="clinic",
            object_id=clinic.pk,
            clinic_id=clinic.pk,
            detail={"stripe_customer_id": customer_id},
        )
    return customer_id


# Stripe Checkout refuses a trial ending sooner than this.
MIN_CHECKOUT_TRIAL = dt.timedelta(hours=49)


def _trial_left(clinic: Clinic) -> dt.datetime | None:
    """When the clinic's free trial ends, if it is still on it: paying early keeps the rest."""
    row = Subscription.objects.filter(clinic=clinic).first()
    if (
        row is None
        or row.status != Status.TRIALING
        or row.stripe_subscription_id
        or row.trial_ends_at is None
        or row.trial_ends_at < timezone.now() + MIN_CHECKOUT_TRIAL
    ):
        return None
    return row.trial_ends_at


def has_live_subscription(clinic_id: uuid.UUID) -> bool:
    """Whether the clinic has a Stripe subscription that has not ended (cancelled is final)."""
    return (
        Subscription.objects.filter(clinic_id=clinic_id)
        .exclude(stripe_subscription_id="")
        .exclude(status__in=sync.TERMINAL)
        .exists()
    )


def checkout_start(*, caller: Caller, plan_key: str, email: str) -> str:
    """A Stripe Checkout for ``plan_key``; answers the URL to send the owner to."""
    caller.require(Perm.BILLING_MANAGE)
    try:
        plan = catalogue().get(plan_key)
    except KeyError:
        raise ValidationFailed("choose one of the plans listed", field="plan") from None
    if not plan.stripe_price_id:
        raise ValidationFailed(f"the {plan.name} plan cannot be bought online yet", field="plan")
    clinic = Clinic.objects.get(pk=caller.clinic_id)
    if has_live_subscription(clinic.pk):
        # A second Checkout would bill the clinic twice: plan changes go through the portal.
        raise ValidationFailed(
            "this clinic already has a subscription; change the plan with Manage billing",
            field="plan",
        )
    try:
        customer_id = _customer_for(clinic=clinic, email=email)
        base = f"{settings.PUBLIC_BASE_URL}{reverse('billing:settings')}"
        url = stripe_api.checkout_session_create(
            price_id=plan.stripe_price_id,
            customer_id=customer_id,
            clinic_id=str(clinic.pk),
            plan_key=plan.key,
            success_url=f"{base}?checkout=done",
            cancel_url=f"{base}?checkout=cancelled",
            trial_end=_trial_left(clinic),
        )
    except stripe_api.BillingError as exc:
        raise Unavailable(str(exc)) from exc
    audit_record(
        "billing.checkout_start",
        object_type="clinic",
        object_id=clinic.pk,
        clinic_id=clinic.pk,
        detail={"plan": plan.key, "stripe_customer_id": customer_id},
    )
    return url


def portal_open(*, caller: Caller) -> str:
    """Stripe's billing portal for the clinic (card, invoices, cancel); answers its URL."""
    caller.require(Perm.BILLING_MANAGE)
    row = Subscription.objects.filter(clinic_id=caller.clinic_id).first()
    if row is None or not row.stripe_customer_id:
        raise ValidationFailed("there is nothing to manage yet: choose a plan first")
    try:
        url = stripe_api.portal_session_create(
            customer_id=row.stripe_customer_id,
            return_url=f"{settings.PUBLIC_BASE_URL}{reverse('billing:settings')}",
        )
    except stripe_api.BillingError as exc:
        raise Unavailable(str(exc)) from exc
    audit_record(
        "billing.portal_open",
        object_type="clinic",
        object_id=caller.clinic_id,
        clinic_id=caller.clinic_id,
        detail={"stripe_customer_id": row.stripe_customer_id},
    )
    return url
