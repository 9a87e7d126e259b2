"""Support access grants, and AES-CRM Ltd's register of account holders' privacy requests.

Support access grants: AES-CRM Ltd staff see a clinic's data only while its owner allows.

A member of AES-CRM's staff asks (reason, how many hours up to 72); the
clinic's owner approves or denies. An approved grant runs from the approval
for the hours asked and ends early if the owner revokes it. While it runs
the staff member may open the clinic read-only; every page they open is
audited on the clinic's chain and listed to the owner.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models

from aescrm.core.tenancy import TenantModel
from aescrm.crypto.fields import EncryptedTextField
from aescrm.privacy.models import OPEN_STATUSES, IdentityStatus, Kind, ReceivedBy, Status

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


class IdentityMethod(models.TextChoices):
    SIGNED_IN = "signed_in", "Asked while signed in to the account"
    ACCOUNT_EMAIL = "account_email", "Confirmed from the account's email address"
    OTHER = "other", "Other check (described in the evidence note)"


class RequestSource(models.TextChoices):
    SELF_SERVICE = "self_service", "The account holder, from their profile page"
    STAFF = "staff", "Logged by AES-CRM staff"


class AccountRequest(models.Model):
    """An account holder's privacy request to AES-CRM Ltd (their controller).

    Not a tenant row: clinics never see it, whichever clinics the person belongs
    to. There is no platform data key, so nothing about the person is copied here
    beyond the link to their account; the staff's own words (notes, evidence,
    reasons, outcome) are plain text, short, and the forms say not to paste
    personal data into them (docs/decisions/0028).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Kept when the user row goes (SET_NULL): the register proves the request was answered.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="account_requests",
    )
    source = models.CharField(max_length=16, choices=RequestSource.choices)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    received_on = models.DateField(help_text="The day AES-CRM Ltd received it (London date)")
    channel = models.CharField(max_length=10, choices=ReceivedBy.choices)

    identity_status = models.CharField(
        max_length=20, choices=IdentityStatus.choices, default=IdentityStatus.NOT_STARTED
    )
    identity_method = models.CharField(
        max_length=16, choices=IdentityMethod.choices, blank=True, default=""
    )
    evidence_note = models.TextField(blank=True, default="")
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)

    due_on = models.DateField()
    extended_until = models.DateField(null=True, blank=True)
    extension_months = models.PositiveSmallIntegerField(default=0)
    extension_reason = models.TextField(blank=True, default="")
    person_told_on = models.DateField(null=True, blank=True)

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    notes = models.TextField(blank=True, default="")
    outcome = models.TextField(blank=True, default="")
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "created_at"]
        indexes = [models.Index(fields=["status", "due_on"], name="account_request_due")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(extension_months__lte=2),
                name="account_request_extension_at_most_two_months",
            ),
            models.CheckConstraint(
                condition=models.Q(extended_until__isnull=True)
                | models.Q(person_told_on__isnull=False),
                name="account_request_extension_needs_person_told",
            ),
        ]

    def __str__(self) -> str:
        return f"account request {self.pk}"

    @property
    def deadline(self) -> dt.date:
        return self.extended_until or self.due_on

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
