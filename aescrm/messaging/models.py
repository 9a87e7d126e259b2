"""Conversations, messages (a transactional outbox), calls and each clinic's Twilio settings.

See docs/decisions/0013-messaging-outbox.md for statuses, the claim/lease and
how a crash between the provider call and the database update is reconciled,
and docs/decisions/0017-voice-calls.md for calls and the missed-call text-back.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from aescrm.core.tenancy import TenantModel
from aescrm.crypto.fields import EncryptedTextField

DEFAULT_RING_SECONDS = 25
RING_SECONDS_MIN, RING_SECONDS_MAX = 10, 60
MISSED_CALL_TEXT_MAX = 320  # two SMS segments
DEFAULT_MISSED_CALL_TEXT = (
    "Sorry we missed your call to {{ clinic_name }}. How can we help? "
    "Reply to this message or we'll call you back."
)


class MessagingSettings(TenantModel):
    """One row per clinic: its Twilio account and quiet hours (clinic time zone)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    twilio_account_sid = models.CharField(max_length=64, blank=True, default="")
    twilio_auth_token = EncryptedTextField()
    # E.164; unique across clinics because inbound webhooks find the clinic by it.
    sending_number = models.CharField(max_length=16, blank=True, default="")
    messaging_service_sid = models.CharField(max_length=64, blank=True, default="")
    quiet_start = models.TimeField(default=dt.time(21, 0))
    quiet_end = models.TimeField(default=dt.time(8, 0))
    # Sent in answer to HELP, after the clinic's name.
    help_contact = models.CharField(max_length=300, blank=True, default="")
    # Calls to the Twilio number ring this phone (E.164) for ring_seconds; none → missed.
    forwarding_number = models.CharField(max_length=16, blank=True, default="")
    ring_seconds = models.PositiveSmallIntegerField(default=DEFAULT_RING_SECONDS)
    missed_call_text_enabled = models.BooleanField(default=False)
    # Merge field: {{ clinic_name }}.
    missed_call_text = models.CharField(
        max_length=MISSED_CALL_TEXT_MAX, blank=True, default=DEFAULT_MISSED_CALL_TEXT
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantModel.Meta):
        verbose_name = "messaging settings"
        verbose_name_plural = "messaging settings"
        constraints = [
            models.UniqueConstraint(fields=["clinic"], name="messagingsettings_one_per_clinic"),
            models.UniqueConstraint(
                fields=["sending_number"],
                condition=~models.Q(sending_number=""),
                name="messagingsettings_number_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(ring_seconds__gte=RING_SECONDS_MIN)
                & models.Q(ring_seconds__lte=RING_SECONDS_MAX),
                name="messagingsettings_ring_seconds_range",
            ),
        ]

    def __str__(self) -> str:
        return f"messaging settings {self.pk}"


class Channel(models.TextChoices):
    SMS = "sms", "SMS"
    EMAIL = "email", "Email"
    CHAT = "chat", "Chat"
    CALL = "call", "Call"


class Direction(models.TextChoices):
    OUTBOUND = "outbound", "Outbound"
    INBOUND = "inbound", "Inbound"


class Kind(models.TextChoices):
    SERVICE = "service", "Service"
    MARKETING = "marketing", "Marketing"


class Status(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"
    UNDELIVERED = "undelivered", "Undelivered"
    RECEIVED = "received", "Received"
    READ = "read", "Read"
    # Withdrawn before it went (its appointment was cancelled or moved).
    CANCELLED = "cancelled", "Cancelled"


class Conversation(TenantModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="conversations"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_message_at = models.DateTimeField(null=True, blank=True)
    unread_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "channel"], name="conversation_one_per_patient_channel"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} conversation {self.pk}"


class Message(TenantModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    direction = models.CharField(max_length=8, choices=Direction.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SERVICE)
    body = EncryptedTextField()
    to_address = EncryptedTextField()
    from_address = EncryptedTextField()
    status = models.CharField(max_length=12, choices=Status.choices)
    provider = models.CharField(max_length=16, blank=True, default="")
    provider_id = models.CharField(max_length=64, blank=True, default="")
    error_code = models.CharField(max_length=16, blank=True, default="")
    error_reason = models.CharField(max_length=500, blank=True, default="")
    segments = models.PositiveSmallIntegerField(default=0)
    encoding = models.CharField(max_length=8, blank=True, default="")
    cost_pence = models.PositiveIntegerField(default=0)
    send_after = models.DateTimeField(null=True, blank=True)
    # Urgent messages (answers to HELP) are not held for quiet hours.
    urgent = models.BooleanField(default=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Outbox: due at next_attempt_at; a worker holds it until claimed_until.
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    # Written before each provider call; the provider sees it in the StatusCallback URL.
    attempt_key = models.CharField(max_length=40, blank=True, default="")
    attempt_started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Counted towards the clinic's plan usage (once, when the provider took it: 0033).
    usage_counted = models.BooleanField(default=False)
    delivered_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantModel.Meta):
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="message_due"),
            models.Index(fields=["clinic", "patient", "created_at"], name="message_patient_time"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_id"],
                condition=~models.Q(provider_id=""),
                name="message_provider_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} message {self.pk}"


class CallOutcome(models.TextChoices):
    RINGING = "ringing", "Ringing"
    ANSWERED = "answered", "Answered"
    MISSED = "missed", "Missed"


class Call(TenantModel):
    """One inbound phone call. Its timeline entry is ``message`` (channel call, body the outcome).

    No recording and no audio: only who called, when, how it ended and for how
    long (docs/decisions/0017).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    message = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="call")
    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(
        max_length=10, choices=CallOutcome.choices, default=CallOutcome.RINGING
    )
    # Twilio's DialCallStatus (or CallStatus) that ended it, e.g. "no-answer".
    twilio_status = models.CharField(max_length=16, blank=True, default="")
    ring_seconds = models.PositiveSmallIntegerField(default=DEFAULT_RING_SECONDS)
    duration_seconds = models.PositiveIntegerField(default=0)
    # The missed-call text-back queued for this call, if any.
    text_back = models.OneToOneField(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantModel.Meta):
        indexes = [models.Index(fields=["patient", "ended_at"], name="call_patient_ended")]

    def __str__(self) -> str:
        return f"call {self.pk}"
