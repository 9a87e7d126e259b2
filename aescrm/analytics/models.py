"""Usage analytics: account data of which AES-CRM Ltd is the controller.

Not tenant tables: the platform console reads every clinic's rows, and no
row holds patient data — a clinic, maybe a member, a feature name from
``features.FEATURES`` and a time. Raw events live ANALYTICS_RAW_DAYS and are
then kept only as daily counts (docs/decisions/0034).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from aescrm.accounts.models import Clinic


class FeatureEvent(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    feature = models.CharField(max_length=40)
    occurred_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["clinic", "feature", "occurred_at"], name="featureevent_clinic"),
        ]

    def __str__(self) -> str:
        return f"{self.feature} @ {self.clinic_id} {self.occurred_at:%Y-%m-%d %H:%M}"


class FeatureDaily(models.Model):
    """One clinic's use of one feature on one UTC day: events and distinct members."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    feature = models.CharField(max_length=40)
    day = models.DateField()
    count = models.PositiveIntegerField()
    users = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "feature", "day"], name="featuredaily_unique_clinic_feature_day"
            ),
        ]
        indexes = [models.Index(fields=["day"], name="featuredaily_day")]

    def __str__(self) -> str:
        return f"{self.feature} @ {self.clinic_id} {self.day}: {self.count}"


class AnalyticsPreference(models.Model):
    """A member's choice about non-essential analytics; no row means not opted out."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="analytics_preference",
    )
    opt_out = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {'opted out' if self.opt_out else 'included'}"
