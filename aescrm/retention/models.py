"""Legal holds, per-clinic retention overrides, and the record of each retention run.

The policies themselves (categories, default periods, legal minimums) are a
table in code (``aescrm.retention.policies``); a clinic's ``RetentionPolicy``
row only lengthens or shortens one category's period within the minimum
(docs/decisions/0026-retention-engine.md).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from aescrm.core.tenancy import TenantModel
from aescrm.crypto.fields import EncryptedTextField


class LegalHold(TenantModel):
    """Stops retention deleting a patient's data (or, with no patient, the whole clinic's).

    The reason may name a claim or a regulator's inquiry, so it is encrypted;
    the hold stays on record after it is lifted.
    """

    # The clinic's legal matter, not the patient's data: clinic key (docs/decisions/0022).
    encryption_subject = ""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(
        "patients.Patient", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reason = EncryptedTextField()
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    placed_at = models.DateTimeField()
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = EncryptedTextField()

    class Meta(TenantModel.Meta):
        ordering = ["-placed_at"]
        indexes = [
            models.Index(
                fields=["clinic", "patient"], name="legalhold_active", condition=Q(lifted_at=None)
            ),
        ]

    def __str__(self) -> str:
        return f"legal hold {self.pk}"

    @property
    def active(self) -> bool:
        return self.lifted_at is None


class RetentionPolicy(TenantModel):
    """A clinic's own period for one category, in months (never below its minimum)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    category = models.CharField(max_length=32)
    months = models.PositiveIntegerField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantModel.Meta):
        verbose_name_plural = "retention policies"
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "category"], name="retention_one_per_category"
            ),
            models.CheckConstraint(condition=Q(months__gte=1), name="retention_months_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.months} months"


class RetentionRun(TenantModel):
    """One run of the retention engine for one clinic: what went (or would go) per category."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    dry_run = models.BooleanField()
    # {category: {"removed": n, "held": n, "cutoff": iso, "why": text}}; counts and dates only.
    results = models.JSONField(default=dict)

    class Meta(TenantModel.Meta):
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["clinic", "-started_at"], name="retentionrun_recent")]

    def __str__(self) -> str:
        return f"retention run {self.pk}"
