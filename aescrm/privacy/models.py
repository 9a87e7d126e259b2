"""The register of people's privacy requests (UK GDPR articles 15-21), one clinic's each.

The clinic is the controller for its patients, so each request is a tenant
row. Everything a person or the team wrote about it (who asked, the identity
evidence, notes, the reason for an extension, what was done) is encrypted.
The patient link is cleared, not cascaded, when the patient is erased: the
register keeps the fact that a request was answered
(docs/decisions/0023-privacy-requests-register.md).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import models
from django.db.models import Q

from aescrm.core.tenancy import TenantModel
from aescrm.crypto.fields import EncryptedTextField


class Kind(models.TextChoices):
    ACCESS = "access", "Access (subject access request)"
    RECTIFICATION = "rectification", "Rectification"
    ERASURE = "erasure", "Erasure"
    RESTRICTION = "restriction", "Restriction of processing"
    PORTABILITY = "portability", "Data portability"
    OBJECTION = "objection", "Objection"


class ReceivedBy(models.TextChoices):
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person"
    WEB_FORM = "web_form", "Web form"
    OTHER = "other", "Other"


class IdentityStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    EVIDENCE_REQUESTED = "evidence_requested", "Evidence requested"
    VERIFIED = "verified", "Verified"
    FAILED = "failed", "Failed"


class Status(models.TextChoices):
    OPEN = "open", "Open"
    AWAITING_IDENTITY = "awaiting_identity", "Awaiting identity"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_STATUSES = (Status.OPEN, Status.AWAITING_IDENTITY, Status.IN_PROGRESS)
CLOSED_STATUSES = (Status.COMPLETED, Status.REFUSED, Status.WITHDRAWN)


class PrivacyRequest(TenantModel):
    # The register outlives an erasure (it proves the request was answered): clinic key,
    # not the patient's (docs/decisions/0022).
    encryption_subject = ""
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    patient = models.ForeignKey(
        "patients.Patient",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="privacy_requests",
    )
    received_on = models.DateField(help_text="The day the clinic received it (clinic's date)")
    channel = models.CharField(max_length=10, choices=ReceivedBy.choices)
    requester_details = EncryptedTextField()

    identity_status = models.CharField(
        max_length=20, choices=IdentityStatus.choices, default=IdentityStatus.NOT_STARTED
    )
    evidence_note = EncryptedTextField()
    verified_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)

    due_on = models.DateField()
    extended_until = models.DateField(null=True, blank=True)
    extension_months = models.PositiveSmallIntegerField(default=0)
    extension_reason = EncryptedTextField()
    person_told_on = models.DateField(null=True, blank=True)

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    notes = EncryptedTextField()
    outcome = EncryptedTextField()
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The clinic-local day owners and managers were last reminded of it (the daily task
    # reminds once a day, however often it runs).
    last_reminded_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantModel.Meta):
        ordering = ["due_on", "created_at"]
        indexes = [models.Index(fields=["clinic", "status", "due_on"], name="privacy_clinic_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(extension_months__lte=2), name="privacy_extension_at_most_two_months"
            ),
            models.CheckConstraint(
                condition=Q(extended_until__isnull=True) | Q(person_told_on__isnull=False),
                name="privacy_extension_needs_person_told",
            ),
        ]

    def __str__(self) -> str:
        return f"privacy request {self.pk}"

    @property
    def deadline(self) -> dt.date:
        """The date it must be answered by: the extended date if extended."""
        return self.extended_until or self.due_on

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
