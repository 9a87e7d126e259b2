from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from aescrm.core.tenancy import TenantModel
from aescrm.crypto.fields import BlindIndexField, EncryptedTextField
from aescrm.patients.normalise import normalise_email


class Stage(models.TextChoices):
    LEAD = "lead", "Lead"
    PATIENT = "patient", "Patient"
    LOST = "lost", "Lost"


class Channel(models.TextChoices):
    SMS = "sms", "SMS"
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"


class Patient(TenantModel):
    """A lead or patient of one clinic. Personal data is encrypted at rest."""

    # Encrypted under the patient's own key (docs/decisions/0022).
    encryption_subject = "pk"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    first_name = EncryptedTextField()
    last_name = EncryptedTextField()
    email = EncryptedTextField()
    phone = EncryptedTextField()
    date_of_birth = EncryptedTextField()
    address = EncryptedTextField()
    notes = EncryptedTextField()
    email_bidx = BlindIndexField(source="email", normaliser=normalise_email, db_index=False)
    phone_bidx = BlindIndexField(source="phone", db_index=False)
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.LEAD)
    owner = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    tags = models.JSONField(default=list, blank=True)
    consent_sms = models.BooleanField(default=False)
    consent_email = models.BooleanField(default=False)
    consent_phone = models.BooleanField(default=False)
    # Ad-platform measurement: None until the patient answered (docs/decisions/0009
    # then decides by the visit's own consent answer); False only by a withdrawal.
    consent_ad_measurement = models.BooleanField(null=True, default=None)
    # The consent_* flags, ``restricted`` and ``objects_to_profiling`` are caches
    # written only by aescrm.patients.rights; the ledger (ConsentEvent) and the
    # decisions (RightsDecision) are the record (docs/decisions/0027).
    restricted = models.BooleanField(default=False)
    # UK GDPR art. 21: a patient who objected to profiling gets no lead score.
    objects_to_profiling = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantModel.Meta):
        indexes = [
            models.Index(fields=["clinic", "-created_at", "-id"], name="patient_clinic_recent"),
            # Blind-index lookups always come with the clinic: with both
            # columns in one index no engine is tempted to scan the clinic.
            models.Index(fields=["clinic", "email_bidx"], name="patient_clinic_email"),
            models.Index(fields=["clinic", "phone_bidx"], name="patient_clinic_phone"),
        ]

    def __str__(self) -> str:
        return f"Patient {self.pk}"

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def consent(self) -> dict[str, bool]:
        """Marketing consent per channel."""
        return {"sms": self.consent_sms, "email": self.consent_email, "phone": self.consent_phone}

    @property
    def consent_out(self) -> dict[str, bool | None]:
        """As the API shows it: marketing per channel, and ad-platform measurement (None:
        never asked)."""
        return {**self.consent, "ad_measurement": self.consent_ad_measurement}


class Purpose(models.TextChoices):
    """What a consent is for (the ledger's key)."""

    SMS_MARKETING = "sms_marketing", "Marketing by SMS"
    EMAIL_MARKETING = "email_marketing", "Marketing by email"
    PHONE_MARKETING = "phone_marketing", "Marketing by phone"
    AD_MEASUREMENT = "ad_measurement", "Ad-platform measurement"


class ConsentSource(models.TextChoices):
    WEB_FORM = "web_form", "Website form"
    CHAT = "chat", "Website chat"
    STAFF = "staff", "Staff"
    SMS_KEYWORD = "sms keyword", "SMS keyword (STOP/START)"
    UNSUBSCRIBE = "email unsubscribe", "Unsubscribe link"
    COMPLAINT = "email complaint", "Spam complaint"
    IMPORT = "import", "Import"
    API = "api", "API"
    OBJECTION = "objection", "Objection to direct marketing"


class ConsentEvent(TenantModel):
    """The consent ledger: every grant and withdrawal per purpose, with when, how and the
    wording shown. The current state is the latest event per purpose."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="consent_events")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    # The marketing channel of the purpose ("" for ad measurement), kept for the readers
    # that look up a channel's latest event (policy, inbox, automation).
    channel = models.CharField(max_length=8, choices=Channel.choices, blank=True)
    granted = models.BooleanField()
    source = models.CharField(max_length=40, choices=ConsentSource.choices)
    wording = models.TextField(blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(TenantModel.Meta):
        ordering = ["recorded_at"]
        indexes = [
            models.Index(
                fields=["clinic", "patient", "purpose", "recorded_at"], name="consent_ledger"
            )
        ]

    def __str__(self) -> str:
        return f"{self.purpose} {'granted' if self.granted else 'withdrawn'}"


class DecisionKind(models.TextChoices):
    RESTRICT = "restrict", "Processing restricted"
    LIFT_RESTRICTION = "lift_restriction", "Restriction lifted"
    OBJECT_MARKETING = "object_marketing", "Objected to direct marketing"
    OBJECT_PROFILING = "object_profiling", "Objected to profiling"
    WITHDRAW_PROFILING_OBJECTION = "withdraw_profiling", "Profiling objection withdrawn"


class RightsDecision(TenantModel):
    """A recorded decision on a patient's rights (UK GDPR arts. 18 and 21)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="rights_decisions")
    kind = models.CharField(max_length=20, choices=DecisionKind.choices)
    # Free text that may say why (health, a dispute): encrypted like other patient data.
    reason = EncryptedTextField()
    decided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        ordering = ["decided_at"]
        indexes = [
            models.Index(fields=["clinic", "patient", "decided_at"], name="decision_patient")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.decided_at:%Y-%m-%d}"


class FieldChange(TenantModel):
    """One change of a personal field (rectification history). The old value is kept,
    encrypted; the new one is on the record (or in the next change's old value)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="field_changes")
    field = models.CharField(max_length=30)
    old_value = EncryptedTextField()
    source = models.CharField(max_length=40)
    changed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        ordering = ["changed_at"]
        indexes = [
            models.Index(fields=["clinic", "patient", "changed_at"], name="fieldchange_patient")
        ]

    def __str__(self) -> str:
        return f"{self.field} changed"


class PatientNote(TenantModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="note_entries")
    body = EncryptedTextField()
    author = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Note {self.pk}"


class PatientSearchToken(TenantModel):
    """Keyed hashes of name, email and phone fragments (docs/decisions/0003)."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    token = models.BinaryField(max_length=8)

    class Meta(TenantModel.Meta):
        # patient is in the index so a search reads only the index (no row
        # lookups): at 50,000 patients a phone query touches ~10^4 entries.
        indexes = [
            models.Index(fields=["clinic", "token", "patient"], name="search_token_covering")
        ]

    def __str__(self) -> str:
        return "search token"


class Treatment(TenantModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=120)
    category = models.CharField(max_length=60, blank=True)
    duration_minutes = models.PositiveIntegerField()
    # Setting up before and clearing away after: no other appointment of the
    # practitioner may fall in them (aescrm.scheduling).
    buffer_before_minutes = models.PositiveSmallIntegerField(default=0)
    buffer_after_minutes = models.PositiveSmallIntegerField(default=0)
    price_pence = models.PositiveIntegerField()
    # Prescription-only medicines may not be advertised to the public.
    prescription_medicine = models.BooleanField(default=False)
    active = models.BooleanField(default=True)

    class Meta(TenantModel.Meta):
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "name"], name="treatment_unique_name"),
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0), name="treatment_positive_duration"
            ),
            models.CheckConstraint(
                condition=Q(buffer_before_minutes__lte=240) & Q(buffer_after_minutes__lte=240),
                name="treatment_buffer_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Practitioner(TenantModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    display_name = models.CharField(max_length=120)
    profession = models.CharField(max_length=80, blank=True)
    registration = models.CharField(max_length=40, blank=True, help_text="e.g. GDC or NMC number")
    user = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    active = models.BooleanField(default=True)

    class Meta(TenantModel.Meta):
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name


class WorkingHours(TenantModel):
    """A practitioner's regular hours on one weekday (0 = Monday), clinic local time."""

    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.CASCADE, related_name="working_hours"
    )
    weekday = models.PositiveSmallIntegerField()
    starts = models.TimeField()
    ends = models.TimeField()

    class Meta(TenantModel.Meta):
        ordering = ["weekday", "starts"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="hours_weekday_range"),
            models.CheckConstraint(
                condition=Q(ends__gt=models.F("starts")), name="hours_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.weekday} {self.starts}-{self.ends}"


class EnquiryChannel(models.TextChoices):
    WEB_FORM = "web_form", "Web form"
    CHAT = "chat", "Chat"
    PHONE = "phone", "Phone"
    SMS = "sms", "SMS"
    EMAIL = "email", "Email"
    WALK_IN = "walk_in", "Walk-in"


class EnquiryStatus(models.TextChoices):
    NEW = "new", "New"
    CONTACTED = "contacted", "Contacted"
    BOOKED = "booked", "Booked"
    CLOSED = "closed", "Closed"


class LeadStage(models.TextChoices):
    """Where a lead (an enquiry) is in the pipeline (docs/decisions/0011)."""

    NEW = "new", "New"
    CONTACTED = "contacted", "Contacted"
    CONSULTATION_BOOKED = "consultation_booked", "Consultation booked"
    TREATMENT_BOOKED = "treatment_booked", "Treatment booked"
    WON = "won", "Won"
    LOST = "lost", "Lost"


class LostReason(models.TextChoices):
    PRICE = "price", "Price too high"
    NO_RESPONSE = "no_response", "No response"
    BOOKED_ELSEWHERE = "booked_elsewhere", "Booked elsewhere"
    NOT_SUITABLE = "not_suitable", "Not clinically suitable"
    NOT_INTERESTED = "not_interested", "No longer interested"
    DUPLICATE = "duplicate", "Duplicate enquiry"
    OTHER = "other", "Other (say why)"


# The older, coarser status each stage still reports (lists and the enquiries API).
STATUS_OF_STAGE = {
    LeadStage.NEW: "new",
    LeadStage.CONTACTED: "contacted",
    LeadStage.CONSULTATION_BOOKED: "booked",
    LeadStage.TREATMENT_BOOKED: "booked",
    LeadStage.WON: "closed",
    LeadStage.LOST: "closed",
}
OPEN_STAGES = (
    LeadStage.NEW,
    LeadStage.CONTACTED,
    LeadStage.CONSULTATION_BOOKED,
    LeadStage.TREATMENT_BOOKED,
)


class Enquiry(TenantModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="enquiries")
    channel = models.CharField(max_length=10, choices=EnquiryChannel.choices)
    treatment = models.ForeignKey(
        Treatment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = EncryptedTextField()
    status = models.CharField(
        max_length=10, choices=EnquiryStatus.choices, default=EnquiryStatus.NEW
    )
    stage = models.CharField(max_length=20, choices=LeadStage.choices, default=LeadStage.NEW)
    lost_reason = models.CharField(max_length=20, choices=LostReason.choices, blank=True)
    # Free text may describe health: encrypted like other patient data.
    lost_note = EncryptedTextField()
    assigned_to = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    stage_changed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # When the enquiry first left status "new" (the first staff response until
    # messaging records replies); speed-to-lead is measured to it. Set by
    # aescrm.reports.signals, never cleared.
    first_response_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantModel.Meta):
        ordering = ["-created_at"]
        verbose_name_plural = "enquiries"
        indexes = [models.Index(fields=["clinic", "stage"], name="enquiry_clinic_stage")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(stage="lost") | ~Q(lost_reason=""), name="enquiry_lost_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(stage="lost") | Q(lost_reason=""), name="enquiry_reason_only_if_lost"
            ),
        ]

    @property
    def speed_to_lead(self) -> float | None:
        """Seconds from the enquiry to the first staff response, once there is one."""
        if self.first_response_at is None:
            return None
        return max(0.0, (self.first_response_at - self.created_at).total_seconds())

    def __str__(self) -> str:
        return f"Enquiry {self.pk}"


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    CONFIRMED = "confirmed", "Confirmed"
    CANCELLED = "cancelled", "Cancelled"
    NO_SHOW = "no_show", "No-show"
    ATTENDED = "attended", "Attended"


# Appointments in these states hold the practitioner's time.
HOLDS_TIME = (AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED, AppointmentStatus.ATTENDED)


class Appointment(TenantModel):
    """Start and end are stored in UTC and shown in the clinic's time zone."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="appointments")
    treatment = models.ForeignKey(Treatment, on_delete=models.PROTECT, related_name="+")
    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, related_name="appointments"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    value_pence = models.PositiveIntegerField(default=0)
    # Free text that may describe health: encrypted like other patient data.
    cancellation_reason = EncryptedTextField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantModel.Meta):
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["clinic", "starts_at"], name="appointment_clinic_start"),
            models.Index(
                fields=["practitioner", "starts_at"], name="appointment_practitioner_start"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="appointment_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"Appointment {self.pk}"
