"""Per-clinic ad platform settings and the upload state of each conversion.

See docs/decisions/0009-ad-platform-conversions.md for statuses, retries,
consent gating and what is hashed.
"""

from __future__ import annotations

import uuid

from django.db import models

from aescrm.attribution.models import ConversionKind
from aescrm.core.tenancy import TenantModel
from aescrm.crypto.fields import EncryptedTextField

KINDS = tuple(ConversionKind.values)

# Meta's standard events for each kind of conversion event.
META_EVENT_NAMES = {
    ConversionKind.LEAD: "Lead",
    ConversionKind.BOOKED: "Schedule",
    ConversionKind.ATTENDED: "Purchase",
    ConversionKind.REVENUE: "Purchase",
}


class AdPlatformSettings(TenantModel):
    """One row per clinic: where and how its conversions go to Google Ads and Meta.

    Secrets (developer token, OAuth client secret and refresh token, Meta
    access token) are encrypted like patient data. The scheduled-upload
    password is stored only as a hash.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    # Google Ads: API upload (uploadClickConversions).
    google_enabled = models.BooleanField(default=False)
    google_customer_id = models.CharField(max_length=10, blank=True, default="")
    google_login_customer_id = models.CharField(max_length=10, blank=True, default="")
    google_developer_token = EncryptedTextField()
    google_client_id = models.CharField(max_length=255, blank=True, default="")
    google_client_secret = EncryptedTextField()
    google_refresh_token = EncryptedTextField()
    # The conversion action for each kind: its id (API upload) and name (import file).
    google_action_lead_id = models.CharField(max_length=20, blank=True, default="")
    google_action_lead_name = models.CharField(max_length=100, blank=True, default="")
    google_action_booked_id = models.CharField(max_length=20, blank=True, default="")
    google_action_booked_name = models.CharField(max_length=100, blank=True, default="")
    google_action_attended_id = models.CharField(max_length=20, blank=True, default="")
    google_action_attended_name = models.CharField(max_length=100, blank=True, default="")
    google_action_revenue_id = models.CharField(max_length=20, blank=True, default="")
    google_action_revenue_name = models.CharField(max_length=100, blank=True, default="")
    # Google Ads scheduled uploads fetch the import file with HTTP basic auth.
    feed_username = models.CharField(max_length=100, blank=True, default="")
    feed_password_hash = models.CharField(max_length=255, blank=True, default="")

    # Meta Conversions API.
    meta_enabled = models.BooleanField(default=False)
    meta_pixel_id = models.CharField(max_length=32, blank=True, default="")
    meta_access_token = EncryptedTextField()
    meta_test_event_code = models.CharField(max_length=64, blank=True, default="")
    meta_send_lead = models.BooleanField(default=True)
    meta_send_booked = models.BooleanField(default=True)
    meta_send_attended = models.BooleanField(default=True)
    # Off by default: attended already reports the treatment's value as a
    # Purchase; sending revenue too would count it twice.
    meta_send_revenue = models.BooleanField(default=False)

    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantModel.Meta):
        verbose_name = "ad platform settings"
        verbose_name_plural = "ad platform settings"
        constraints = [
            models.UniqueConstraint(fields=["clinic"], name="adplatformsettings_one_per_clinic"),
        ]

    def __str__(self) -> str:
        return f"ad platform settings {self.pk}"

    def google_action_id(self, kind: str) -> str:
        return str(getattr(self, f"google_action_{kind}_id", "") or "")

    def google_action_name(self, kind: str) -> str:
        return str(getattr(self, f"google_action_{kind}_name", "") or "")

    def meta_sends(self, kind: str) -> bool:
        return bool(getattr(self, f"meta_send_{kind}", False))

    @property
    def google_api_ready(self) -> bool:
        return bool(
            self.google_enabled
            and self.google_customer_id
            and self.google_developer_token
            and self.google_client_id
            and self.google_client_secret
            and self.google_refresh_token
        )

    @property
    def meta_ready(self) -> bool:
        return bool(self.meta_enabled and self.meta_pixel_id and self.meta_access_token)


class Platform(models.TextChoices):
    GOOGLE_ADS = "google_ads", "Google Ads"
    META = "meta", "Meta"


class UploadStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    UPLOADED = "uploaded", "Uploaded"
    FAILED = "failed", "Failed"
    NOT_ELIGIBLE = "not_eligible", "Not eligible"


class NotEligible(models.TextChoices):
    """Why a conversion is not sent to a platform (fixed when the upload row is made)."""

    NOT_CONFIGURED = "not_configured", "Platform not configured"
    KIND_NOT_MAPPED = "kind_not_mapped", "This kind of conversion is not mapped"
    NO_TOUCH = "no_touch", "No marketing touch"
    NO_CLICK_ID = "no_click_id", "No click id from this platform"
    NO_CONSENT = "no_consent", "No marketing consent"
    NO_VALUE = "no_value", "No value to report"
    TOO_OLD = "too_old", "Too old for the platform"
    # The person's rights (docs/decisions/0027): a restriction holds the upload until it is
    # lifted; an objection to profiling or a withdrawn measurement consent stops it.
    RESTRICTED = "restricted", "Processing restricted (held until lifted)"
    OBJECTED = "objected", "Patient objected to profiling"
    CONSENT_WITHDRAWN = "withdrawn", "Ad-measurement consent withdrawn"


class ConversionUpload(TenantModel):
    """One conversion event's delivery to one platform. Never two for the same pair."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.ForeignKey(
        "attribution.ConversionEvent", on_delete=models.CASCADE, related_name="+"
    )
    platform = models.CharField(max_length=12, choices=Platform.choices)
    status = models.CharField(max_length=12, choices=UploadStatus.choices)
    reason = models.CharField(max_length=16, choices=NotEligible.choices, blank=True, default="")
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # A worker that claimed the row holds it until then (another worker skips it).
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    uploaded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantModel.Meta):
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="convupload_due"),
            models.Index(fields=["clinic", "created_at"], name="convupload_clinic_time"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["event", "platform"], name="convupload_once_per_event"),
            models.CheckConstraint(
                condition=models.Q(status="not_eligible", reason__gt="")
                | (~models.Q(status="not_eligible") & models.Q(reason="")),
                name="convupload_reason_iff_not_eligible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform} upload {self.pk}"
