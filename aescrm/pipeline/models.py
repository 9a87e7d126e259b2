"""Pipeline settings, alerts, staff tasks and per-clinic scoring models (decision 0011).

The lead itself is the ``patients.Enquiry`` row (its ``stage``, ``assigned_to``,
``first_response_at``); these tables hang off it.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from aescrm.core.tenancy import TenantModel
from aescrm.crypto.fields import EncryptedTextField

# Monday = "0". Times are the clinic's wall clock; a missing day is closed.
DEFAULT_OPENING_HOURS: dict[str, list[list[str]]] = {
    "0": [["09:00", "18:00"]],
    "1": [["09:00", "18:00"]],
    "2": [["09:00", "18:00"]],
    "3": [["09:00", "18:00"]],
    "4": [["09:00", "18:00"]],
    "5": [["09:00", "13:00"]],
}
DEFAULT_RESPONSE_LIMIT_MINUTES = 5


def default_opening_hours() -> dict[str, list[list[str]]]:
    return {day: [list(span) for span in spans] for day, spans in DEFAULT_OPENING_HOURS.items()}


class PipelineSettings(TenantModel):
    """One row per clinic: round-robin assignment, the speed-to-lead limit, opening hours."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round_robin = models.BooleanField(default=False)
    response_limit_minutes = models.PositiveIntegerField(default=DEFAULT_RESPONSE_LIMIT_MINUTES)
    opening_hours = models.JSONField(default=default_opening_hours)
    # Round-robin pointer: the member who was given the last lead.
    last_assigned = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantModel.Meta):
        verbose_name_plural = "pipeline settings"
        constraints = [
            models.UniqueConstraint(fields=["clinic"], name="pipelinesettings_one_per_clinic"),
            models.CheckConstraint(
                condition=Q(response_limit_minutes__gte=1) & Q(response_limit_minutes__lte=1440),
                name="pipelinesettings_limit_range",
            ),
        ]

    def __str__(self) -> str:
        return "pipeline settings"


class AlertKind(models.TextChoices):
    UNCONTACTED = "uncontacted", "New lead not contacted in time"


class LeadAlert(TenantModel):
    """A banner alert about one lead; at most one of each kind per lead."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    enquiry = models.ForeignKey("patients.Enquiry", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    raised_at = models.DateTimeField()
    due_at = models.DateTimeField(help_text="when the lead should have been answered")
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantModel.Meta):
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(fields=["enquiry", "kind"], name="leadalert_once_per_lead"),
        ]
        indexes = [models.Index(fields=["clinic", "resolved_at"], name="leadalert_open")]

    def __str__(self) -> str:
        return f"{self.kind} alert"


class TaskKind(models.TextChoices):
    CALL_BACK = "call_back", "Call back"
    FOLLOW_UP = "follow_up", "Follow up"


class StaffTask(TenantModel):
    # Encrypted under the key of the patient it is about (docs/decisions/0022).
    encryption_subject = "enquiry.patient_id"
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    enquiry = models.ForeignKey(
        "patients.Enquiry", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=TaskKind.choices)
    # May mention health: encrypted like other patient data.
    note = EncryptedTextField()
    due_at = models.DateTimeField()
    assignee = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantModel.Meta):
        ordering = ["due_at"]
        indexes = [models.Index(fields=["clinic", "assignee", "done_at"], name="stafftask_mine")]

    def __str__(self) -> str:
        return f"{self.kind} task"


class ScoringModel(TenantModel):
    """A logistic regression trained on one clinic's own won/lost leads.

    Coefficients are plain JSON (no pickle): the scorer recomputes the
    probability and each factor's contribution from them.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    trained_at = models.DateTimeField()
    n = models.PositiveIntegerField(help_text="closed leads trained on")
    n_won = models.PositiveIntegerField()
    auc = models.FloatField(help_text="validation AUC on held-out leads")
    features = models.JSONField()
    coefficients = models.JSONField()
    intercept = models.FloatField()
    active = models.BooleanField(default=True)

    class Meta(TenantModel.Meta):
        ordering = ["-trained_at"]

    def __str__(self) -> str:
        return f"scoring model (AUC {self.auc:.2f}, n={self.n})"
