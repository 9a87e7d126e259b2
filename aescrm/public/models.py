"""Bookkeeping for the public enquiry endpoint: rate windows, idempotency keys, spam counts."""

from __future__ import annotations

import uuid

from django.db import models

from aescrm.core.tenancy import TenantModel


class PublicRateWindow(models.Model):
    """Requests one bucket (a hashed client IP, or a clinic) made in one minute.

    Not a tenant table: an IP bucket spans every clinic, and rows are looked
    up before any clinic scope exists. IPs are stored only as keyed hashes.
    """

    bucket = models.CharField(max_length=80)
    window_start = models.BigIntegerField(help_text="Unix minute", db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["bucket", "window_start"], name="public_ratewindow_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bucket} @ {self.window_start}: {self.count}"


class IdempotencyRecord(TenantModel):
    """The first answer to a request carrying an ``Idempotency-Key``, kept for 24 hours.

    Only hashes of the key and of the request are stored; the answer holds no
    personal data (a status, an enquiry id or a redirect address).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    key_hash = models.CharField(max_length=64)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=100, blank=True)
    body = models.TextField(blank=True)
    location = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta(TenantModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["clinic", "key_hash"], name="idempotency_unique_key"),
        ]
        indexes = [models.Index(fields=["clinic", "expires_at"], name="idempotency_expiry")]

    def __str__(self) -> str:
        return f"idempotency {self.key_hash[:8]}…"


class SpamReason(models.TextChoices):
    HONEYPOT = "honeypot", "Hidden field filled in"
    TOO_FAST = "too_fast", "Sent faster than a person can fill the form"
    LINKS = "links", "Too many links"


class SpamTally(TenantModel):
    """How many submissions a clinic's endpoint quietly dropped as spam, per day and reason."""

    day = models.DateField()
    reason = models.CharField(max_length=10, choices=SpamReason.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta(TenantModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["clinic", "day", "reason"], name="spamtally_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.reason}: {self.count}"
