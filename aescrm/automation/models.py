"""Rules, their versions, runs and the run log (docs/decisions/0019).

A rule is a trigger, conditions and a list of actions. Editing a rule makes
a new ``RuleVersion``; a run keeps the version it started on, so a sequence
already under way finishes as it began. A run is unique per (rule, event
key): however often an event is delivered, a rule acts on it once.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from aescrm.core.tenancy import TenantModel
from aescrm.crypto.fields import EncryptedTextField


class AutomationSettings(TenantModel):
    """Links the templates' ``{{ booking_link }}`` and ``{{ review_link }}`` point at."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    booking_url = models.URLField(max_length=500, blank=True, default="")
    review_url = models.URLField(max_length=500, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["clinic"], name="automation_settings_one_per_clinic")
        ]

    def __str__(self) -> str:
        return "automation settings"


class Rule(TenantModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=120)
    # The built-in recipe this rule came from ("" for a rule a clinic wrote).
    recipe = models.CharField(max_length=40, blank=True, default="")
    enabled = models.BooleanField(default=True)
    current_version = models.ForeignKey(
        "RuleVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Copied from the current version so events find their rules with one indexed read.
    trigger_event = models.CharField(max_length=40, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantModel.Meta):
        ordering = ["name"]
        indexes = [models.Index(fields=["clinic", "trigger_event"], name="rule_clinic_trigger")]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "recipe"], condition=~Q(recipe=""), name="rule_one_per_recipe"
            ),
            models.UniqueConstraint(fields=["clinic", "name"], name="rule_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class RuleVersion(TenantModel):
    """One edit of a rule, never changed afterwards."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    trigger = models.JSONField()
    conditions = models.JSONField(default=list)
    actions = models.JSONField(default=list)
    stop_when = models.JSONField(default=list)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        ordering = ["rule", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "number"], name="rule_version_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} v{self.number}"


class RunStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    DONE = "done", "Done"
    STOPPED = "stopped", "Stopped"
    CANCELLED = "cancelled", "Cancelled"
    SKIPPED = "skipped", "Skipped"
    FAILED = "failed", "Failed"


class Run(TenantModel):
    """One rule acting on one event for one patient, step by step."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="runs")
    version = models.ForeignKey(RuleVersion, on_delete=models.PROTECT, related_name="runs")
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="automation_runs"
    )
    event_key = models.CharField(max_length=200)
    appointment = models.ForeignKey(
        "patients.Appointment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    enquiry = models.ForeignKey(
        "patients.Enquiry", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # For runs timed from an appointment: the start they were timed from.
    anchor = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.SCHEDULED)
    step = models.PositiveSmallIntegerField(default=0)
    due_at = models.DateTimeField(null=True, blank=True)
    # When a due step may still go (a reminder is not sent long after its time).
    latest_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantModel.Meta):
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "due_at"], name="run_due"),
            models.Index(fields=["clinic", "appointment"], name="run_appointment"),
            models.Index(fields=["clinic", "patient", "-created_at"], name="run_patient"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["rule", "event_key"], name="run_once_per_event"),
        ]

    def __str__(self) -> str:
        return f"run {self.pk}"


class Outcome(models.TextChoices):
    FIRED = "fired", "Rule fired"
    NOT_FIRED = "not_fired", "Rule did not fire"
    SCHEDULED = "scheduled", "Scheduled"
    DONE = "done", "Step done"
    SENT = "sent", "Message queued"
    HELD = "held", "Held for quiet hours"
    NOT_SENT = "not_sent", "Message not sent"
    SKIPPED = "skipped", "Skipped"
    STOPPED = "stopped", "Sequence stopped"
    CANCELLED = "cancelled", "Cancelled"
    FAILED = "failed", "Failed"
    REPLY = "reply", "Reply handled"


class RunLog(TenantModel):
    """Why each rule did or did not act for a patient, in words a receptionist can read."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="automation_log"
    )
    rule = models.ForeignKey(
        Rule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rule_name = models.CharField(max_length=120, blank=True, default="")
    version = models.PositiveIntegerField(null=True, blank=True)
    run = models.ForeignKey(
        Run, null=True, blank=True, on_delete=models.CASCADE, related_name="log"
    )
    event = models.CharField(max_length=40, blank=True, default="")
    event_key = models.CharField(max_length=200, blank=True, default="")
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    # A machine-readable code: condition_false, no_consent, opted_out, quiet_hours, restricted, ...
    reason = models.CharField(max_length=40, blank=True, default="")
    # Says which treatment or appointment: patient data, so encrypted.
    detail = EncryptedTextField()
    message = models.ForeignKey(
        "messaging.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta(TenantModel.Meta):
        ordering = ["-at"]
        indexes = [models.Index(fields=["clinic", "patient", "-at"], name="runlog_patient")]

    def __str__(self) -> str:
        return f"{self.outcome} {self.reason}"


class StaffNotification(TenantModel):
    """The "notify staff" action: a line on the team's dashboard until someone reads it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(
        "patients.Patient", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(max_length=20, blank=True, default="")
    text = EncryptedTextField()
    run = models.ForeignKey(Run, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    read_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(TenantModel.Meta):
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return "staff notification"
