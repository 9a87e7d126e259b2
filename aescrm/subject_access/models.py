"""A subject-access / portability export of one patient (docs/decisions/0024).

The zip is kept encrypted under the clinic's data key (an ``EncryptedTextField``
holding it base64-encoded), never in plain text on disk, and is wiped once it
has been downloaded or has expired. Only a hash of the download token is kept.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from aescrm.core.tenancy import TenantModel
from aescrm.crypto.fields import EncryptedTextField


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Being prepared"
    READY = "ready", "Ready to download"
    DOWNLOADED = "downloaded", "Downloaded"
    EXPIRED = "expired", "Expired"
    FAILED = "failed", "Failed"


class SubjectAccessExport(TenantModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # SET_NULL so erasing the patient can remove them while it deletes their exports.
    patient = models.ForeignKey(
        "patients.Patient", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The privacy request this export answers, when there is one (no FK: another app).
    privacy_request_id = models.UUIDField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_by_key = models.ForeignKey(
        "accounts.ApiKey", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    include_access_log = models.BooleanField(default=False)
    # The whole clinic's data, all patients and its set-up (decision 0032); no patient.
    whole_clinic = models.BooleanField(default=False)
    # SHA-256 of the current download token; "" until a link is issued.
    token_hash = models.CharField(max_length=64, blank=True, default="")
    expires_at = models.DateTimeField()
    ready_at = models.DateTimeField(null=True, blank=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)
    size = models.PositiveIntegerField(default=0)
    # The zip, base64, encrypted; None before it is built and after download or expiry.
    payload = EncryptedTextField()
    # Why it failed (an exception class name, never data).
    error = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["clinic", "-created_at"], name="sar_export_recent")]
        constraints = [
            # The download looks the export up by token hash before any clinic scope.
            models.UniqueConstraint(
                fields=["token_hash"], condition=~Q(token_hash=""), name="sar_export_token_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"export {self.pk} ({self.status})"
