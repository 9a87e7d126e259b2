"""Where leads came from (touches) and what they became (conversion events).

A touch is one visit's marketing context as the website widget captured it:
click ids, UTM parameters, landing page and referrer. Click ids, cookie values
and URLs are personal data (online identifiers, and URLs can carry anything),
so they are encrypted like the rest of the record; the UTM values and the
channel are campaign metadata that reports group by, so they stay readable.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from aescrm.core.tenancy import TenantModel
from aescrm.crypto.fields import EncryptedTextField

CLICK_ID_FIELDS = ("gclid", "gbraid", "wbraid", "fbclid", "fbc", "fbp", "msclkid", "ttclid")
UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")
URL_FIELDS = ("landing_page", "referrer")
# The keys of a touch object in the API and in the widget's payload.
TOUCH_KEYS = (*CLICK_ID_FIELDS, *UTM_FIELDS, *URL_FIELDS, "channel", "occurred_at")


class MarketingChannel(models.TextChoices):
    PAID_SEARCH = "paid_search", "Paid search"
    PAID_SOCIAL = "paid_social", "Paid social"
    ORGANIC_SEARCH = "organic_search", "Organic search"
    ORGANIC_SOCIAL = "organic_social", "Organic social"
    EMAIL = "email", "Email"
    REFERRAL = "referral", "Referral"
    DIRECT = "direct", "Direct"
    OTHER = "other", "Other"


class TouchPosition(models.TextChoices):
    FIRST = "first", "First touch"
    LAST = "last", "Last touch"


class Touch(TenantModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE, related_name="+")
    enquiry = models.ForeignKey(
        "patients.Enquiry", null=True, blank=True, on_delete=models.CASCADE, related_name="touches"
    )
    position = models.CharField(max_length=5, choices=TouchPosition.choices)
    gclid = EncryptedTextField()
    gbraid = EncryptedTextField()
    wbraid = EncryptedTextField()
    fbclid = EncryptedTextField()
    fbc = EncryptedTextField()
    fbp = EncryptedTextField()
    msclkid = EncryptedTextField()
    ttclid = EncryptedTextField()
    utm_source = models.CharField(max_length=255, blank=True, default="")
    utm_medium = models.CharField(max_length=255, blank=True, default="")
    utm_campaign = models.CharField(max_length=255, blank=True, default="")
    utm_term = models.CharField(max_length=255, blank=True, default="")
    utm_content = models.CharField(max_length=255, blank=True, default="")
    landing_page = EncryptedTextField()
    referrer = EncryptedTextField()
    channel = models.CharField(max_length=16, choices=MarketingChannel.choices)
    occurred_at = models.DateTimeField()
    # The visitor's answer to the site's marketing-consent question: True
    # granted; False refused (the widget kept the touch for the session only
    # and platforms are told consent was denied); None: the site gave no
    # answer (kept for the session only; uploads say nothing either way).
    marketing_consent = models.BooleanField(null=True, default=None)
    # Readable flags so eligibility for uploads is a query, not a decryption.
    has_google_click = models.BooleanField(default=False)
    has_meta_click = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        indexes = [
            models.Index(fields=["clinic", "patient", "occurred_at"], name="touch_patient_time"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["enquiry", "position"],
                condition=Q(enquiry__isnull=False),
                name="touch_one_per_enquiry_position",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position} touch {self.pk}"


class ConversionKind(models.TextChoices):
    LEAD = "lead", "Lead"
    BOOKED = "booked", "Booked"
    ATTENDED = "attended", "Attended"
    REVENUE = "revenue", "Revenue"


class ConversionEvent(TenantModel):
    """A step a lead took, crediting the touches that brought them.

    ``first_touch`` is the patient's earliest touch; ``last_touch`` the latest
    at or before the event. Both are fixed when the event is recorded, so
    later visits do not rewrite history.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=ConversionKind.choices)
    enquiry = models.ForeignKey(
        "patients.Enquiry", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    appointment = models.ForeignKey(
        "patients.Appointment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    value_pence = models.PositiveIntegerField(default=0)
    occurred_at = models.DateTimeField()
    first_touch = models.ForeignKey(
        Touch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_touch = models.ForeignKey(
        Touch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        ordering = ["occurred_at"]
        indexes = [
            models.Index(fields=["clinic", "kind", "occurred_at"], name="conversion_kind_time"),
            models.Index(fields=["clinic", "patient"], name="conversion_patient"),
        ]
        constraints = [
            # Recording is idempotent: one event of a kind per enquiry / appointment.
            models.UniqueConstraint(
                fields=["enquiry", "kind"],
                condition=Q(enquiry__isnull=False),
                name="conversion_once_per_enquiry",
            ),
            models.UniqueConstraint(
                fields=["appointment", "kind"],
                condition=Q(appointment__isnull=False),
                name="conversion_once_per_appointment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"
