"""When practitioners can be booked: breaks, time off, clinic closures, bank holidays.

Weekly patterns (breaks, like ``patients.WorkingHours``) and closure dates are
clinic wall-clock values; one-off time off is a UTC range. Everything is
turned into UTC intervals in ``aescrm.scheduling.calendar`` before comparing.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from aescrm.core.tenancy import TenantModel
from aescrm.crypto.fields import EncryptedTextField

DEFAULT_SLOT_STEP_MINUTES = 15


class ScheduleSettings(TenantModel):
    """One row per clinic: the bank-holiday switch and the step between offered slots."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    closed_on_bank_holidays = models.BooleanField(default=True)
    slot_step_minutes = models.PositiveSmallIntegerField(default=DEFAULT_SLOT_STEP_MINUTES)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantModel.Meta):
        verbose_name_plural = "schedule settings"
        constraints = [
            models.UniqueConstraint(fields=["clinic"], name="schedulesettings_one_per_clinic"),
            models.CheckConstraint(
                condition=Q(slot_step_minutes__gte=5) & Q(slot_step_minutes__lte=120),
                name="schedulesettings_step_range",
            ),
        ]

    def __str__(self) -> str:
        return "schedule settings"


class PractitionerBreak(TenantModel):
    """A regular break on one weekday (0 = Monday), clinic local time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practitioner = models.ForeignKey(
        "patients.Practitioner", on_delete=models.CASCADE, related_name="breaks"
    )
    weekday = models.PositiveSmallIntegerField()
    starts = models.TimeField()
    ends = models.TimeField()

    class Meta(TenantModel.Meta):
        ordering = ["weekday", "starts"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="break_weekday_range"),
            models.CheckConstraint(
                condition=Q(ends__gt=models.F("starts")), name="break_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"break {self.weekday} {self.starts}-{self.ends}"


class TimeOff(TenantModel):
    """A practitioner away for a while (holiday, training, illness), stored in UTC."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practitioner = models.ForeignKey(
        "patients.Practitioner", on_delete=models.CASCADE, related_name="time_off"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    # May say why a member of staff is away (illness): encrypted, never in refusals.
    reason = EncryptedTextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["practitioner", "starts_at"], name="timeoff_practitioner_start")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="timeoff_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"time off {self.starts_at:%Y-%m-%d}"


class ClinicClosure(TenantModel):
    """Whole local days the clinic is shut (inclusive), with the reason shown on refusals."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    first_day = models.DateField()
    last_day = models.DateField()
    reason = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        ordering = ["first_day"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=models.F("first_day")), name="closure_last_after_first"
            ),
        ]

    def __str__(self) -> str:
        return f"closed {self.first_day}–{self.last_day}"


class BankHolidayOpening(TenantModel):
    """A bank holiday on which this clinic opens as usual, despite the bank-holiday switch."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    day = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "day"], name="bankholidayopening_one_per_day")
        ]

    def __str__(self) -> str:
        return f"open on {self.day}"


class BookingOverride(TenantModel):
    """Staff booked or moved an appointment despite the booking rules: who, why, which rules."""

    # Encrypted under the key of the patient it is about (docs/decisions/0022).
    encryption_subject = "appointment.patient_id"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    appointment = models.ForeignKey(
        "patients.Appointment", on_delete=models.CASCADE, related_name="overrides"
    )
    # Rule codes that were set aside, e.g. ["past", "bank_holiday"].
    rules = models.JSONField(default=list)
    # Free text that may describe a patient's health: encrypted.
    reason = EncryptedTextField()
    by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        ordering = ["at"]

    def __str__(self) -> str:
        return f"override {', '.join(self.rules)}"
