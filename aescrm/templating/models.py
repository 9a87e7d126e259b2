from __future__ import annotations

import uuid

from django.db import models

from aescrm.core.tenancy import TenantModel


class TemplateChannel(models.TextChoices):
    SMS = "sms", "SMS"
    EMAIL = "email", "Email"


class TemplateKind(models.TextChoices):
    # A service message tells a patient about their own care (reminders,
    # confirmations, aftercare); anything promotional is marketing.
    SERVICE = "service", "Service (about the patient's own care)"
    MARKETING = "marketing", "Marketing"


class MessageTemplate(TenantModel):
    """Wording for an SMS or email with ``{{ field }}`` merge fields (docs/decisions/0014)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=120)
    channel = models.CharField(max_length=8, choices=TemplateChannel.choices)
    kind = models.CharField(max_length=10, choices=TemplateKind.choices)
    subject = models.CharField(max_length=200, blank=True)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantModel.Meta):
        ordering = ["name", "channel"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "name", "channel"], name="message_template_unique_name"
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=["sms", "email"]), name="message_template_channel"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["service", "marketing"]),
                name="message_template_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.name
