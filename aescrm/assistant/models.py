"""The website assistant's data: per-clinic settings, its knowledge, chat sessions and turns.

Knowledge is the clinic's own published wording (no patient data), kept in
plain text so it can be searched. Everything a visitor or the assistant says
is personal data and is encrypted like message bodies
(docs/decisions/0021-website-assistant.md).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from aescrm.core.tenancy import TenantModel
from aescrm.crypto.fields import EncryptedTextField


class EngineChoice(models.TextChoices):
    EMBEDDED = "embedded", "Built-in assistant (no outside service)"
    LLM = "llm", "Language model (OpenAI-compatible endpoint)"


class BookingMode(models.TextChoices):
    BOOK = "book", "Book the appointment"
    REQUEST = "request", "Send a booking request for the team to confirm"


class AssistantSettings(TenantModel):
    """One per clinic; created with defaults the first time it is read."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    enabled = models.BooleanField(default=True)
    engine = models.CharField(
        max_length=10, choices=EngineChoice.choices, default=EngineChoice.EMBEDDED
    )
    # Blank fields fall back to the platform-wide AESCRM_LLM_* settings.
    llm_base_url = models.CharField(max_length=300, blank=True, default="")
    llm_model = models.CharField(max_length=100, blank=True, default="")
    llm_api_key = EncryptedTextField()
    booking_mode = models.CharField(
        max_length=8, choices=BookingMode.choices, default=BookingMode.BOOK
    )
    assistant_name = models.CharField(max_length=60, default="Assistant")
    colour = models.CharField(max_length=7, default="#0f5c6e", help_text="#rrggbb")
    greeting = models.CharField(max_length=300, blank=True, default="")
    privacy_notice_url = models.CharField(max_length=500, blank=True, default="")
    urgent_phone = models.CharField(
        max_length=40, blank=True, default="", help_text="The clinic's urgent line, if it has one"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantModel.Meta):
        verbose_name_plural = "assistant settings"
        constraints = [
            models.UniqueConstraint(fields=["clinic"], name="assistant_settings_one_per_clinic"),
        ]

    def __str__(self) -> str:
        return f"assistant settings {self.pk}"


class KnowledgeKind(models.TextChoices):
    FAQ = "faq", "Question and answer"
    POLICY = "policy", "Policy"
    HOURS = "hours", "Opening hours"
    LOCATION = "location", "Location and parking"
    FINANCE = "finance", "Finance and payment"
    TREATMENT = "treatment", "Treatment"


class KnowledgeItem(TenantModel):
    """One thing the assistant may say: a question and the clinic's answer."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=10, choices=KnowledgeKind.choices, default="faq")
    title = models.CharField(max_length=200, help_text="The question, or the policy's name")
    answer = models.TextField(max_length=2000)
    keywords = models.CharField(
        max_length=500,
        blank=True,
        default="",
        help_text="Other words visitors use, comma separated",
    )
    # Imported from the catalogue: its price and name stay in step with the treatment.
    treatment = models.ForeignKey(
        "patients.Treatment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantModel.Meta):
        ordering = ["kind", "title"]
        indexes = [models.Index(fields=["clinic", "active"], name="knowledge_clinic_active")]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "treatment"],
                condition=models.Q(treatment__isnull=False),
                name="knowledge_one_per_treatment",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SessionMode(models.TextChoices):
    BOT = "bot", "Assistant answering"
    STAFF = "staff", "Staff answering"


class ChatSession(TenantModel):
    """One visitor's conversation with the assistant, from first message to expiry.

    The visitor holds a random token; only its hash is stored. ``state`` holds
    the details gathered so far (name, phone, treatment, offered slots) and is
    encrypted, as are the touches the widget sent.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    token_hash = models.CharField(max_length=64)
    mode = models.CharField(max_length=5, choices=SessionMode.choices, default=SessionMode.BOT)
    handoff_requested = models.BooleanField(default=False)
    handoff_reason = models.CharField(max_length=200, blank=True, default="")
    emergency = models.BooleanField(default=False)
    state = EncryptedTextField()
    attribution = EncryptedTextField()
    patient = models.ForeignKey(
        "patients.Patient", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    enquiry = models.ForeignKey(
        "patients.Enquiry", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    appointment = models.ForeignKey(
        "patients.Appointment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    taken_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    turn_count = models.PositiveIntegerField(default=0)
    # Opened after the plan's chatbot conversation limit was reached (and not counted):
    # the assistant answers with a fixed message and leaves the chat to the team (0033).
    over_usage_limit = models.BooleanField(default=False)
    unread_count = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    last_activity_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta(TenantModel.Meta):
        ordering = ["-last_activity_at"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "token_hash"], name="chat_session_token"),
        ]
        indexes = [
            models.Index(fields=["clinic", "last_activity_at"], name="chat_session_activity"),
        ]

    def __str__(self) -> str:
        return f"chat {self.pk}"


class Speaker(models.TextChoices):
    VISITOR = "visitor", "Visitor"
    ASSISTANT = "assistant", "Assistant"
    STAFF = "staff", "Staff"


class ChatTurn(TenantModel):
    """One message in a chat, with how the assistant came to say it.

    ``guardrails`` holds every check's decision, in order:
    ``[{"check": "emergency", "stage": "in", "decision": "pass", "detail": ""}, …]``.
    ``knowledge`` holds the items the answer drew on: ``[{"id": …, "title": …}]``.
    """

    # Encrypted under the key of the patient it is about (docs/decisions/0022).
    encryption_subject = "session.patient_id"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(ChatSession, on_delete=models.CASCADE, related_name="turns")
    seq = models.PositiveIntegerField()
    speaker = models.CharField(max_length=9, choices=Speaker.choices)
    body = EncryptedTextField()
    intent = models.CharField(max_length=30, blank=True, default="")
    engine = models.CharField(max_length=20, blank=True, default="")
    model = models.CharField(max_length=100, blank=True, default="")
    engine_version = models.CharField(max_length=20, blank=True, default="")
    knowledge = models.JSONField(default=list, blank=True)
    guardrails = models.JSONField(default=list, blank=True)
    quick_replies = models.JSONField(default=list, blank=True)
    latency_ms = models.PositiveIntegerField(default=0)
    # Engine details for staff: a language model's fallback and its reason, tool calls.
    notes = models.JSONField(default=dict, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        ordering = ["session", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["session", "seq"], name="chat_turn_seq"),
        ]

    def __str__(self) -> str:
        return f"chat turn {self.seq}"
