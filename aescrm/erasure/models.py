"""Erasures done and the suppression list (docs/decisions/0025-erasure-and-suppression.md).

Neither table holds a personal value: an erasure names the patient's id and
counts, a suppression only a keyed hash (HMAC under the clinic's blind-index
key) of a normalised email address or phone number.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from aescrm.core.tenancy import TenantModel


class ErasureReason(models.TextChoices):
    """Why the person's data is erased: the grounds of UK GDPR Article 17(1)."""

    ASKED = "asked", "The person asked for their data to be erased"
    NO_LONGER_NEEDED = "no_longer_needed", "No longer needed for the purpose it was collected"
    CONSENT_WITHDRAWN = "consent_withdrawn", "Consent withdrawn and no other lawful basis"
    OBJECTED = "objected", "The person objected and there is no overriding reason"
    UNLAWFUL = "unlawful", "The data was processed unlawfully"
    LEGAL_OBLIGATION = "legal_obligation", "Erasure is required by law"


class Erasure(TenantModel):
    """One completed erasure: who, when, why, and what was removed or kept (counts only)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Not a foreign key: the patient row is usually gone.
    patient_id = models.UUIDField(db_index=True)
    reason = models.CharField(max_length=20, choices=ErasureReason.choices)
    privacy_request_id = models.UUIDField(null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # {"messages": 4, ...}: rows removed per category; "kept" the rows kept minimised.
    removed = models.JSONField(default=dict)
    kept = models.JSONField(default=dict)
    # True when the patient row stays as a tombstone (no personal data) for kept records.
    tombstone = models.BooleanField(default=False)
    erased_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        ordering = ["-erased_at"]

    def __str__(self) -> str:
        return f"erasure {self.pk}"


class AddressKind(models.TextChoices):
    EMAIL = "email", "Email address"
    PHONE = "phone", "Phone number"


class SuppressionReason(models.TextChoices):
    ERASURE = "erasure", "The person asked to be erased"


class Suppression(TenantModel):
    """An address of someone who was erased: not re-imported, not re-contacted by automation.

    ``value_hash`` is the same keyed hash as ``Patient.email_bidx`` / ``phone_bidx``,
    so a patient's address is checked without decrypting anything. Not the email
    bounce list (``aescrm.mail.Suppression``), which keeps the address itself.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=5, choices=AddressKind.choices)
    value_hash = models.CharField(max_length=64)
    reason = models.CharField(
        max_length=10, choices=SuppressionReason.choices, default=SuppressionReason.ERASURE
    )
    erasure = models.ForeignKey(
        Erasure, null=True, blank=True, on_delete=models.SET_NULL, related_name="suppressions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "kind", "value_hash"], name="erasure_suppression_once"
            ),
        ]

    def __str__(self) -> str:
        return f"suppressed {self.kind}"
