"""Email through Postmark: each clinic's settings, the email part of a message, reply
addresses, suppressed addresses and the webhook events already applied.

The message itself (body, addresses, status, outbox fields) is a
``messaging.Message`` with ``channel="email"``; what only email has lives here
(docs/decisions/0016-email-postmark.md).
"""

from __future__ import annotations

import uuid

from django.db import models

from aescrm.core.tenancy import TenantModel
from aescrm.crypto.fields import BlindIndexField, EncryptedTextField
from aescrm.patients.normalise import normalise_email


class MailSettings(TenantModel):
    """One row per clinic: its Postmark server, sender, reply address and webhook login."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    server_token = EncryptedTextField()
    sender_email = models.CharField(max_length=254, blank=True, default="")
    sender_name = models.CharField(max_length=100, blank=True, default="")
    # Replies go to <local>+<conversation token>@<domain> of this address (Postmark
    # inbound: the server's <hash>@inbound.postmarkapp.com or a forwarding domain).
    inbound_address = models.CharField(max_length=254, blank=True, default="")
    message_stream = models.CharField(max_length=50, blank=True, default="outbound")
    # Marketing email goes through a broadcast stream when one is named.
    broadcast_stream = models.CharField(max_length=50, blank=True, default="")
    # Postmark calls our webhooks with these (HTTP basic auth); unique so the
    # user name finds the clinic. The password is encrypted, not hashed, so the
    # settings page can show the webhook URLs to paste into Postmark.
    webhook_user = models.CharField(max_length=40, blank=True, default="")
    webhook_password = EncryptedTextField()
    checked_at = models.DateTimeField(null=True, blank=True)
    check_ok = models.BooleanField(default=False)
    check_detail = models.CharField(max_length=300, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantModel.Meta):
        verbose_name = "email settings"
        verbose_name_plural = "email settings"
        constraints = [
            models.UniqueConstraint(fields=["clinic"], name="mailsettings_one_per_clinic"),
            models.UniqueConstraint(
                fields=["webhook_user"],
                condition=~models.Q(webhook_user=""),
                name="mailsettings_webhook_user_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"email settings {self.pk}"


class EmailDetail(TenantModel):
    """What an email message has beyond a text body: subject, HTML, threading headers."""

    # Encrypted under the key of the patient it is about (docs/decisions/0022).
    encryption_subject = "message.patient_id"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    message = models.OneToOneField(
        "messaging.Message", on_delete=models.CASCADE, related_name="email"
    )
    subject = EncryptedTextField()
    html = EncryptedTextField()
    # RFC 5322 Message-ID of this email (ours for outbound, the sender's for inbound),
    # and the ids it answers: a reply's In-Reply-To finds its conversation by them.
    header_id = models.CharField(max_length=255, blank=True, default="")
    in_reply_to = models.CharField(max_length=255, blank=True, default="")
    references = models.TextField(blank=True, default="")
    marketing_unsubscribe = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        indexes = [models.Index(fields=["clinic", "header_id"], name="emaildetail_header")]

    def __str__(self) -> str:
        return f"email {self.pk}"


class ReplyAddress(TenantModel):
    """The token in a conversation's reply address (reply+<token>@…)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conversation = models.OneToOneField(
        "messaging.Conversation", on_delete=models.CASCADE, related_name="reply_address"
    )
    token = models.CharField(max_length=32, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        pass

    def __str__(self) -> str:
        return "reply address"


class SuppressionReason(models.TextChoices):
    HARD_BOUNCE = "hard_bounce", "Hard bounce"
    SPAM_COMPLAINT = "spam_complaint", "Spam complaint"
    INACTIVE = "inactive", "Inactive at Postmark"


class Suppression(TenantModel):
    """An address the clinic sends no more email to (a hard bounce or a complaint)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = EncryptedTextField()
    # The same keyed hash as Patient.email_bidx, so a patient's address is checked directly.
    email_bidx = BlindIndexField(source="email", normaliser=normalise_email, db_index=False)
    reason = models.CharField(max_length=20, choices=SuppressionReason.choices)
    message = models.ForeignKey(
        "messaging.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "email_bidx"], name="suppression_one_per_address"
            ),
        ]

    def __str__(self) -> str:
        return f"suppressed ({self.reason})"


class WebhookReceipt(TenantModel):
    """A Postmark event already applied: a replay of the same event changes nothing."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    key = models.CharField(max_length=120)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["clinic", "key"], name="webhookreceipt_once"),
        ]

    def __str__(self) -> str:
        return self.key
