"""Support access grants: AES-CRM Ltd staff see a clinic's data only while its owner allows.

A member of AES-CRM's staff asks (reason, how many hours up to 72); the
clinic's owner approves or denies. An approved grant runs from the approval
for the hours asked and ends early if the owner revokes it. While it runs
the staff member may open the clinic read-only; every page they open is
audited on the clinic's chain and listed to the owner.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from aescrm.core.tenancy import TenantModel
from aescrm.crypto.fields import EncryptedTextField

MAX_GRANT_HOURS = 72


class GrantStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the owner"
    APPROVED = "approved", "Approved"
    DENIED = "denied", "Denied"
    REVOKED = "revoked", "Ended by the owner"


class SupportGrant(TenantModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Free text: may name a patient or a problem, so it is encrypted like notes.
    reason = EncryptedTextField()
    hours = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=10, choices=GrantStatus.choices, default=GrantStatus.PENDING
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    starts_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantModel.Meta):
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gte=1) & models.Q(hours__lte=MAX_GRANT_HOURS),
                name="support_grant_hours_range",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "approved", "denied", "revoked"]),
                name="support_grant_status",
            ),
        ]
        indexes = [models.Index(fields=["clinic", "status"], name="support_grant_status_idx")]

    def __str__(self) -> str:
        return f"support grant {self.pk}"
