"""The inbox's own data: canned replies, internal notes on a conversation, and bulk sends.

Conversations and messages belong to ``aescrm.messaging``; what the inbox adds
is kept here (docs/decisions/0018-inbox.md).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from aescrm.core.tenancy import TenantModel
from aescrm.crypto.fields import EncryptedTextField


class CannedChannel(models.TextChoices):
    ANY = "any", "SMS or email"
    SMS = "sms", "SMS only"
    EMAIL = "email", "Email only"


class CannedReply(TenantModel):
    """A ready-made answer to insert into the reply box (clinic wording, no patient data)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(max_length=120)
    body = models.TextField()
    channel = models.CharField(max_length=8, choices=CannedChannel.choices, default="any")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantModel.Meta):
        ordering = ["title"]
        verbose_name_plural = "canned replies"
        constraints = [
            models.UniqueConstraint(fields=["clinic", "title"], name="canned_reply_unique_title"),
            models.CheckConstraint(
                condition=models.Q(channel__in=["any", "sms", "email"]),
                name="canned_reply_channel",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ConversationNote(TenantModel):
    """A note for colleagues, shown in the thread and never sent to the patient."""

    # Encrypted under the key of the patient it is about (docs/decisions/0022).
    encryption_subject = "conversation.patient_id"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conversation = models.ForeignKey(
        "messaging.Conversation", on_delete=models.CASCADE, related_name="notes"
    )
    body = EncryptedTextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        ordering = ["created_at"]
        indexes = [
            models.Index(
                fields=["clinic", "conversation", "created_at"], name="conversation_note_time"
            )
        ]

    def __str__(self) -> str:
        return f"Note {self.pk}"


class BulkStatus(models.TextChoices):
    QUEUING = "queuing", "Queuing"
    DONE = "done", "Done"
    STOPPED = "stopped", "Stopped"


class BulkSend(TenantModel):
    """One confirmed send to a filtered list of patients.

    ``token`` comes from the preview page: confirming twice (a double click,
    a retried request) finds the same row and queues nothing more.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    token = models.UUIDField()
    channel = models.CharField(max_length=8)
    kind = models.CharField(max_length=10)
    template = models.ForeignKey(
        "templating.MessageTemplate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The wording as written, merge fields unfilled (each message holds its own text).
    body = EncryptedTextField()
    subject = models.CharField(max_length=200, blank=True, default="")
    # The filter that chose the patients, for the record (ids and dates, no personal data).
    audience = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=BulkStatus.choices, default=BulkStatus.QUEUING)
    stop_reason = models.CharField(max_length=300, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantModel.Meta):
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "token"], name="bulk_send_unique_token"),
        ]

    def __str__(self) -> str:
        return f"Bulk send {self.pk}"


class RecipientStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be queued"
    QUEUED = "queued", "Message queued"
    EXCLUDED = "excluded", "Excluded"


class BulkRecipient(TenantModel):
    """A patient the filter chose: their message, or why they were left out."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    bulk = models.ForeignKey(BulkSend, on_delete=models.CASCADE, related_name="recipients")
    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=RecipientStatus.choices)
    # The policy's reason code (no_consent, restricted, …) and what it means for this patient.
    reason = models.CharField(max_length=32, blank=True, default="")
    reason_text = models.CharField(max_length=300, blank=True, default="")
    message = models.OneToOneField(
        "messaging.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(TenantModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["bulk", "patient"], name="bulk_recipient_once"),
        ]
        indexes = [models.Index(fields=["clinic", "bulk", "status"], name="bulk_recipient_status")]

    def __str__(self) -> str:
        return f"Recipient {self.pk}"
