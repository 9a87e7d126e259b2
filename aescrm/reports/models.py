"""Ad spend: what a clinic paid the ad platforms, per day, source and campaign.

Spend is campaign metadata (no patient data), so it is stored readable. One
row per clinic, day, source and campaign: importing the same day, source and
campaign again replaces the row (decision 0010), so re-importing an export is
safe and never doubles the spend.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from aescrm.core.tenancy import TenantModel


class SpendFormat(models.TextChoices):
    GOOGLE_ADS = "google_ads", "Google Ads campaign report"
    META_ADS = "meta_ads", "Meta Ads Manager export"
    PLAIN = "plain", "Plain CSV (date, source, campaign, spend)"
    API = "api", "API"


class AdSpendImport(TenantModel):
    """One import (a CSV upload or an API call): the batch its rows last came from."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    source_format = models.CharField(max_length=12, choices=SpendFormat.choices)
    filename = models.CharField(max_length=255, blank=True, default="")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    api_key = models.ForeignKey(
        "accounts.ApiKey", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    row_count = models.PositiveIntegerField(default=0)
    replaced_count = models.PositiveIntegerField(default=0)
    total_pence = models.PositiveBigIntegerField(default=0)
    first_date = models.DateField(null=True, blank=True)
    last_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["clinic", "-created_at"], name="adspend_import_recent")]

    def __str__(self) -> str:
        return f"Ad spend import {self.pk}"


class AdSpend(TenantModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    date = models.DateField()
    source = models.CharField(max_length=255)
    medium = models.CharField(max_length=255, blank=True, default="")
    campaign = models.CharField(max_length=255)
    spend_pence = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3, default="GBP")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    batch = models.ForeignKey(AdSpendImport, on_delete=models.PROTECT, related_name="rows")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantModel.Meta):
        ordering = ["date", "source", "campaign"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "date", "source", "campaign"], name="adspend_one_per_day_campaign"
            ),
            models.CheckConstraint(condition=Q(currency="GBP"), name="adspend_currency_gbp"),
            models.CheckConstraint(condition=~Q(source=""), name="adspend_source_not_empty"),
            models.CheckConstraint(condition=~Q(campaign=""), name="adspend_campaign_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.source} {self.campaign}"
