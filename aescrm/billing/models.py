"""A clinic's subscription: account data of which AES-CRM Ltd is the controller.

Not a tenant table: the platform console reads every clinic's row, and a
clinic's owner reads their own through the billing services.
"""

from __future__ import annotations

import uuid

from django.db import models

from aescrm.accounts.models import Clinic


class Status(models.TextChoices):
    # Stripe's subscription statuses, so a webhook's state is stored as it is.
    TRIALING = "trialing", "Free trial"
    ACTIVE = "active", "Active"
    PAST_DUE = "past_due", "Payment overdue"
    UNPAID = "unpaid", "Unpaid"
    CANCELED = "canceled", "Cancelled"
    INCOMPLETE = "incomplete", "Awaiting first payment"
    INCOMPLETE_EXPIRED = "incomplete_expired", "First payment failed"
    PAUSED = "paused", "Paused"


class Subscription(models.Model):
    clinic = models.OneToOneField(
        Clinic, primary_key=True, on_delete=models.CASCADE, related_name="subscription"
    )
    plan = models.CharField(max_length=40)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.TRIALING)
    trial_ends_at = models.DateTimeField(null=True, blank=True)
    stripe_customer_id = models.CharField(max_length=255, blank=True, default="")
    stripe_subscription_id = models.CharField(max_length=255, blank=True, default="")
    current_period_start = models.DateTimeField(null=True, blank=True)
    current_period_end = models.DateTimeField(null=True, blank=True)
    cancel_at_period_end = models.BooleanField(default=False)
    # When payment first became overdue (past_due/unpaid/incomplete): the grace
    # period runs from here, however many failed-payment events follow.
    payment_overdue_since = models.DateTimeField(null=True, blank=True)
    # When the subscription ended (cancelled or expired); cleared on reactivation.
    ended_at = models.DateTimeField(null=True, blank=True)
    # The owner's choice: past a plan limit, keep sending and pay for the overage
    # (reported to Stripe as meter events) instead of holding messages (0033).
    allow_overage = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["stripe_subscription_id"],
                condition=~models.Q(stripe_subscription_id=""),
                name="billing_unique_stripe_subscription",
            ),
            models.UniqueConstraint(
                fields=["stripe_customer_id"],
                condition=~models.Q(stripe_customer_id=""),
                name="billing_unique_stripe_customer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clinic} — {self.plan} ({self.get_status_display()})"


class StripeEvent(models.Model):
    """One Stripe webhook event, stored in the same transaction as what it changed.

    The unique event id is what makes a redelivery (or two deliveries at once)
    change nothing the second time: the second insert fails and rolls back.
    """

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    created = models.DateTimeField(help_text="When Stripe created the event")
    received_at = models.DateTimeField()
    # When it was applied; empty for an event of a type AES-CRM does not act on.
    processed_at = models.DateTimeField(null=True, blank=True)
    # What came of it, in a word or two: "applied", "ignored", "no clinic", …
    outcome = models.CharField(max_length=200, blank=True, default="")
    clinic = models.ForeignKey(
        Clinic, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.event_id} ({self.type})"


class Invoice(models.Model):
    """A Stripe invoice to a clinic, as Stripe last reported it (amounts in pence)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="invoices")
    stripe_invoice_id = models.CharField(max_length=255, unique=True)
    number = models.CharField(max_length=100, blank=True, default="")
    # Stripe's invoice statuses: draft, open, paid, uncollectible, void.
    status = models.CharField(max_length=20)
    amount_due = models.IntegerField(default=0)
    amount_paid = models.IntegerField(default=0)
    currency = models.CharField(max_length=3, default="gbp")
    hosted_invoice_url = models.URLField(max_length=1000, blank=True, default="")
    invoice_pdf = models.URLField(max_length=1000, blank=True, default="")
    period_start = models.DateTimeField(null=True, blank=True)
    period_end = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(help_text="When Stripe created the invoice")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["clinic", "-created"], name="billing_invoice_clinic")]

    def __str__(self) -> str:
        return self.number or self.stripe_invoice_id


class Metric(models.TextChoices):
    # What a plan counts per billing period (plans.METERED); seats are counted live.
    SMS_SEGMENTS = "sms_segments", "SMS segments"
    EMAILS = "emails", "Emails"
    CHAT_CONVERSATIONS = "chat_conversations", "Chatbot conversations"


class UsageCounter(models.Model):
    """How much of one metered thing a clinic used in one billing period (0033).

    Account data like Subscription, not a tenant table: the platform console
    reads every clinic's, and counting happens wherever a send is recorded.
    Incremented with ``UPDATE … SET count = count + n`` (aescrm.billing.usage),
    so concurrent sends never lose a count.
    """

    id = models.BigAutoField(primary_key=True)
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="usage_counters")
    metric = models.CharField(max_length=24, choices=Metric.choices)
    period_start = models.DateTimeField()
    period_end = models.DateTimeField()
    count = models.PositiveBigIntegerField(default=0)
    # Units counted beyond the plan's limit while the owner allowed overage, and how
    # many of them Stripe has been told about. ``overage_sending`` is the total a
    # meter event is being sent for, set before the call: a retry after a crash sends
    # the same chunk under the same identifier, and Stripe counts it once.
    overage = models.PositiveBigIntegerField(default=0)
    overage_sending = models.PositiveBigIntegerField(default=0)
    overage_reported = models.PositiveBigIntegerField(default=0)
    # When the count first reached the plan's limit this period ("reached on 12 December").
    limit_reached_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "metric", "period_start"], name="usage_one_counter_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(overage_reported__lte=models.F("overage")),
                name="usage_overage_reported_at_most_overage",
            ),
        ]
        indexes = [
            models.Index(fields=["overage_reported", "overage"], name="usage_overage_to_report")
        ]

    def __str__(self) -> str:
        return f"{self.clinic_id} {self.metric} from {self.period_start:%Y-%m-%d}: {self.count}"
