"""Request and response shapes of the JSON API."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, StringConstraints, field_validator

Name = Annotated[str, StringConstraints(max_length=100)]
ShortText = Annotated[str, StringConstraints(max_length=254)]
LongText = Annotated[str, StringConstraints(max_length=5000)]
Tag = Annotated[str, StringConstraints(max_length=40)]


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple | set):
        return any(_has_nul(v) for v in value)
    return False


class Clean(Schema):
    """Refuses NUL characters in every text field: PostgreSQL text cannot store them,
    and no name, note or filter legitimately holds one."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        if _has_nul(value):
            raise ValueError("must not contain NUL characters")
        return value


class Strict(Clean):
    model_config = ConfigDict(extra="forbid")


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    errors: list[dict[str, str]] | None = None


class Consent(Strict):
    sms: bool | None = None
    email: bool | None = None
    phone: bool | None = None
    ad_measurement: bool | None = Field(
        None,
        description="Measuring adverts with this person's data: conversions sent to Google Ads "
        "and Meta. false stops them (recorded in the consent history).",
    )


class ConsentOut(Schema):
    sms: bool
    email: bool
    phone: bool
    # None: never asked (conversions follow the clinic's settings, decision 0009).
    ad_measurement: bool | None


class PatientIn(Strict):
    first_name: Name | None = None
    last_name: Name | None = None
    email: ShortText | None = None
    phone: Annotated[str, StringConstraints(max_length=40)] | None = None
    date_of_birth: dt.date | None = None
    address: LongText | None = None
    notes: LongText | None = None
    stage: Literal["lead", "patient", "lost"] | None = None
    tags: list[Tag] | None = Field(default=None, max_length=50)
    consent: Consent | None = None
    consent_wording: LongText | None = Field(
        default=None,
        description="The consent wording the patient was shown (kept in the consent history)",
    )
    restricted: bool | None = None
    objects_to_profiling: bool | None = Field(
        default=None, description="The patient objected to profiling: their leads get no score"
    )


class PatientOut(Schema):
    id: uuid.UUID
    first_name: str | None
    last_name: str | None
    email: str | None
    phone: str | None = Field(description="E.164")
    date_of_birth: dt.date | None
    address: str | None
    notes: str | None = Field(
        description="Omitted (null) for keys without patients:read notes access"
    )
    stage: str
    tags: list[str]
    consent: ConsentOut
    restricted: bool
    objects_to_profiling: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class TouchIn(Strict):
    """One visit's marketing context, as the website widget captures it."""

    gclid: str | None = None
    gbraid: str | None = None
    wbraid: str | None = None
    fbclid: str | None = None
    fbc: str | None = None
    fbp: str | None = None
    msclkid: str | None = None
    ttclid: str | None = None
    utm_source: str | None = None
    utm_medium: str | None = None
    utm_campaign: str | None = None
    utm_term: str | None = None
    utm_content: str | None = None
    landing_page: str | None = None
    referrer: str | None = None
    occurred_at: dt.datetime | int | None = Field(
        default=None, description="ISO 8601 with offset, or milliseconds since the epoch"
    )
    marketing_consent: bool | None = Field(
        default=None,
        description="the visitor's marketing consent; null when the site asked nothing",
    )


class TouchOut(Schema):
    gclid: str | None
    gbraid: str | None
    wbraid: str | None
    fbclid: str | None
    fbc: str | None
    fbp: str | None
    msclkid: str | None
    ttclid: str | None
    utm_source: str | None
    utm_medium: str | None
    utm_campaign: str | None
    utm_term: str | None
    utm_content: str | None
    landing_page: str | None
    referrer: str | None
    channel: str
    occurred_at: dt.datetime
    marketing_consent: bool | None


class PatientDetailOut(PatientOut):
    first_touch: TouchOut | None
    last_touch: TouchOut | None


class PatientPageOut(Schema):
    items: list[PatientOut]
    next_cursor: str | None


class TimelineItemOut(Schema):
    type: Literal["enquiry", "appointment", "note", "message", "chat"]
    id: uuid.UUID
    at: dt.datetime
    summary: str
    status: str | None = None
    channel: str | None = None
    direction: str | None = None
    body: str | None = None
    # Website chats: how many messages (never their words).
    turns: int | None = None


class EnquiryIn(Strict):
    patient: uuid.UUID
    channel: Literal["web_form", "chat", "phone", "sms", "email", "walk_in"]
    treatment: uuid.UUID | None = None
    message: LongText = ""
    first_touch: TouchIn | None = None
    last_touch: TouchIn | None = None


class EnquiryOut(Schema):
    id: uuid.UUID
    patient: uuid.UUID
    channel: str
    treatment: uuid.UUID | None
    message: str | None
    status: str
    created_at: dt.datetime


class TreatmentOut(Schema):
    id: uuid.UUID
    name: str
    category: str
    duration_minutes: int
    buffer_before_minutes: int = Field(description="Kept clear before it (setting up)")
    buffer_after_minutes: int = Field(description="Kept clear after it (clearing away)")
    price_pence: int
    prescription_medicine: bool


class TreatmentSavedOut(TreatmentOut):
    active: bool


class TreatmentIn(Strict):
    name: str
    category: str = ""
    duration_minutes: int = Field(description="5 to 600")
    buffer_before_minutes: int = Field(0, description="0 to 240")
    buffer_after_minutes: int = Field(0, description="0 to 240")
    price_pence: int = Field(description="0 to 10,000,000 (£100,000)")
    prescription_medicine: bool = False


class TreatmentPatch(Strict):
    """Only the fields sent change; ``active: false`` archives, ``true`` restores."""

    name: str | None = None
    category: str | None = None
    duration_minutes: int | None = None
    buffer_before_minutes: int | None = None
    buffer_after_minutes: int | None = None
    price_pence: int | None = None
    prescription_medicine: bool | None = None
    active: bool | None = None


class PractitionerIn(Strict):
    display_name: str
    profession: str = ""
    registration: str = Field("", description="e.g. GDC or NMC number")
    user: uuid.UUID | None = Field(None, description="A member of the clinic they sign in as")


class PractitionerPatch(Strict):
    """Only the fields sent change; ``user: null`` unlinks; ``active: false`` archives."""

    display_name: str | None = None
    profession: str | None = None
    registration: str | None = None
    user: uuid.UUID | None = None
    active: bool | None = None


class WorkingHoursOut(Schema):
    weekday: int
    starts: dt.time
    ends: dt.time


class PractitionerOut(Schema):
    id: uuid.UUID
    display_name: str
    profession: str
    registration: str
    working_hours: list[WorkingHoursOut]


class PractitionerSavedOut(Schema):
    id: uuid.UUID
    display_name: str
    profession: str
    registration: str
    user: uuid.UUID | None
    active: bool


class AppointmentIn(Strict):
    patient: uuid.UUID
    treatment: uuid.UUID
    practitioner: uuid.UUID
    starts_at: dt.datetime
    ends_at: dt.datetime | None = None
    value_pence: Annotated[int, Field(ge=0, le=100_000_000)] | None = None
    override: bool = Field(
        False,
        description="Book despite the booking rules (past, outside hours, closed); needs the "
        "appointments:override scope and override_reason. Never over another appointment.",
    )
    override_reason: Annotated[str, StringConstraints(max_length=500)] | None = None


class AppointmentPatch(Strict):
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    practitioner: uuid.UUID | None = None
    status: Literal["booked", "confirmed", "cancelled", "no_show", "attended"] | None = None
    cancellation_reason: Annotated[str, StringConstraints(max_length=200)] | None = None
    value_pence: Annotated[int, Field(ge=0, le=100_000_000)] | None = None
    override: bool = Field(
        False,
        description="Book despite the booking rules (past, outside hours, closed); needs the "
        "appointments:override scope and override_reason. Never over another appointment.",
    )
    override_reason: Annotated[str, StringConstraints(max_length=500)] | None = None


class ScheduledMessageOut(Schema):
    kind: str = Field(description="the built-in recipe (reminder_48h, aftercare, ...) or 'custom'")
    rule: str
    channel: str
    due_at: dt.datetime | None = Field(description="UTC")
    due_at_local: str | None = Field(description="In the clinic's time zone")
    status: str = Field(
        description="scheduled, held (quiet hours), queued, sending, sent, delivered, failed, "
        "cancelled, skipped or stopped"
    )


class AppointmentOut(Schema):
    id: uuid.UUID
    patient: uuid.UUID
    treatment: uuid.UUID
    practitioner: uuid.UUID
    starts_at: dt.datetime = Field(description="UTC")
    ends_at: dt.datetime = Field(description="UTC")
    starts_at_local: str = Field(description="In the clinic's time zone")
    ends_at_local: str
    timezone: str
    status: str
    value_pence: int
    cancellation_reason: str


class AppointmentDetailOut(AppointmentOut):
    scheduled_messages: list[ScheduledMessageOut]


class SlotPractitionerOut(Schema):
    id: uuid.UUID
    name: str


class SlotOut(Schema):
    practitioner: SlotPractitionerOut
    starts_at: dt.datetime = Field(description="UTC")
    ends_at: dt.datetime = Field(description="UTC")
    starts_at_local: str = Field(description="In the clinic's time zone")
    ends_at_local: str
    timezone: str


class AvailabilityOut(Schema):
    treatment: uuid.UUID
    duration_minutes: int
    slots: list[SlotOut]


class AuditOut(Schema):
    id: int
    occurred_at: dt.datetime
    actor_type: str
    actor_id: str
    actor_label: str
    ip: str | None
    request_id: str
    action: str
    object_type: str
    object_id: str
    purpose: str
    detail: dict[str, object]
    seq: int | None
    entry_hash: str


class AuditPageOut(Schema):
    items: list[AuditOut]
    next_cursor: str | None
