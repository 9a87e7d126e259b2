"""Writes to patient records. Every write is tenant-scoped, audited and atomic."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q

from aescrm.accounts.caller import Caller
from aescrm.accounts.permissions import Perm
from aescrm.analytics.services import record as record_usage
from aescrm.attribution.models import ConversionKind
from aescrm.attribution.services import (
    appointment_conversions,
    conversion_record,
    touches_record,
)
from aescrm.attribution.touch import TouchInput
from aescrm.audit.services import audit_record
from aescrm.automation import engine as automation
from aescrm.core.problems import Conflict, ValidationFailed
from aescrm.crypto.fields import seal
from aescrm.patients import rectification, rights, search
from aescrm.patients.consent import PURPOSE_KEY, consent_apply
from aescrm.patients.models import (
    HOLDS_TIME,
    Appointment,
    AppointmentStatus,
    ConsentEvent,
    Enquiry,
    EnquiryChannel,
    Patient,
    PatientNote,
    Practitioner,
    Purpose,
    Stage,
    Treatment,
)
from aescrm.patients.normalise import clean_email, clean_phone
from aescrm.scheduling import rules

PERSONAL_FIELDS = ("first_name", "last_name", "email", "phone", "date_of_birth", "address", "notes")
NAME_MAX = 100
TEXT_MAX = 5000


@dataclass
class PatientInput:
    """Fields a caller may set; None means "leave as it is"."""

    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: str | None = None
    date_of_birth: dt.date | None = None
    address: str | None = None
    notes: str | None = None
    stage: str | None = None
    tags: list[str] | None = None
    consent: dict[str, bool] | None = None
    restricted: bool | None = None
    objects_to_profiling: bool | None = None
    clear: tuple[str, ...] = ()


def _clean_text(field: str, value: str, limit: int) -> str:
    value = value.strip()
    if len(value) > limit:
        raise ValidationFailed(f"{field} is longer than {limit} characters", field=field)
    if "\x00" in value:
        raise ValidationFailed(f"{field} contains a NUL character", field=field)
    return value


def _apply(patient: Patient, data: PatientInput, *, creating: bool) -> list[str]:
    changed: list[str] = []

    def put(field: str, value: Any) -> None:
        if getattr(patient, field) != value:
            setattr(patient, field, value)
            changed.append(field)

    for field in ("first_name", "last_name"):
        value = getattr(data, field)
        if value is not None:
            put(field, _clean_text(field, value, NAME_MAX) or None)
    if data.email is not None:
        if data.email.strip():
            try:
                put("email", clean_email(data.email))
            except ValueError as exc:
                raise ValidationFailed(str(exc), field="email") from exc
        else:
            put("email", None)
    if data.phone is not None:
        if data.phone.strip():
            try:
                put("phone", clean_phone(data.phone))
            except ValueError as exc:
                raise ValidationFailed(str(exc), field="phone") from exc
        else:
            put("phone", None)
    if data.date_of_birth is not None:
        if data.date_of_birth > dt.date.today():  # noqa: DTZ011 - a date of birth has no time zone
            raise ValidationFailed("date_of_birth is in the future", field="date_of_birth")
        if data.date_of_birth.year < 1900:
            raise ValidationFailed("date_of_birth is before 1900", field="date_of_birth")
        put("date_of_birth", data.date_of_birth.isoformat())
    for field in ("address", "notes"):
        value = getattr(data, field)
        if value is not None:
            put(field, _clean_text(field, value, TEXT_MAX) or None)
    for field in data.clear:
        put(field, None)
    if data.stage is not None:
        if data.stage not in Stage.values:
            raise ValidationFailed(
                f"stage must be one of {', '.join(Stage.values)}, not {data.stage!r}", field="stage"
            )
        put("stage", data.stage)
    if data.tags is not None:
        tags = sorted({_clean_text("tags", t, 40) for t in data.tags if t.strip()})
        put("tags", tags)
    if not (patient.first_name or patient.last_name):
        raise ValidationFailed("a patient needs a first or last name", field="first_name")
    if creating and not (patient.email or patient.phone):
        raise ValidationFailed("a patient needs an email address or a phone number", field="email")
    return changed


def _record_consent(
    patient: Patient, consent: dict[str, bool], *, source: str, wording: str, caller: Caller
) -> list[ConsentEvent]:
    """The consent ledger's rows for these changes (aescrm.patients.consent), to save with
    the patient."""
    return consent_apply(patient, consent, source=source, wording=wording, caller=caller)


# The reason recorded when a restriction or objection flag is set with the patient's
# details (the API's PATCH, older callers) rather than through aescrm.patients.rights.
FLAG_REASON = "Set with the patient's details ({source}); no reason given"


def _apply_rights_flags(
    caller: Caller, patient: Patient, data: PatientInput, source: str
) -> list[str]:
    """Restriction and profiling objection given as flags become recorded decisions."""
    reason = FLAG_REASON.format(source=source)
    changed = []
    if data.restricted is not None and data.restricted != patient.restricted:
        act = rights.restrict if data.restricted else rights.lift_restriction
        act(caller=caller, patient=patient, reason=reason)
        changed.append("restricted")
    if (
        data.objects_to_profiling is not None
        and data.objects_to_profiling != patient.objects_to_profiling
    ):
        if data.objects_to_profiling:
            rights.object_to(caller=caller, patient=patient, kind="profiling", reason=reason)
        else:
            rights.withdraw_profiling_objection(caller=caller, patient=patient, reason=reason)
        changed.append("objects_to_profiling")
    return changed


def consent_key(event: ConsentEvent) -> str:
    return PURPOSE_KEY[Purpose(event.purpose)]


def _duplicate_check(patient: Patient) -> None:
    """One patient per email and per phone within a clinic (one query for both)."""
    wanted: dict[str, str] = {}
    for field in ("email", "phone"):
        if getattr(patient, field) is not None:
            index_field = Patient._meta.get_field(f"{field}_bidx")
            wanted[field] = index_field.pre_save(patient, add=False)  # type: ignore[union-attr]
    if not wanted:
        return
    match = Q()
    for field, index in wanted.items():
        match |= Q(**{f"{field}_bidx": index})
    # No ORDER BY (``first()`` would add one by pk, which steers SQLite onto
    # the primary key and a scan of the whole clinic instead of the indexes).
    clashes = list(
        Patient.objects.filter(match)
        .exclude(pk=patient.pk)
        .values_list("pk", "email_bidx", "phone_bidx")[:1]
    )
    if clashes:
        clash = clashes[0]
        field = "email" if "email" in wanted and clash[1] == wanted["email"] else "phone"
        raise Conflict(
            f"another patient already has this {field}",
            field=field,
            existing_patient=str(clash[0]),
        )


def patient_create(
    *,
    caller: Caller,
    data: PatientInput,
    consent_source: str = "staff",
    consent_wording: str = "",
    self_initiated: bool = False,
    confirm_erased: bool = False,
) -> Patient:
    """A new patient. ``self_initiated``: the person got in touch themselves (a form, chat,
    text, call or email); ``confirm_erased``: staff confirm that someone on the erasure
    suppression list asked to be added again (aescrm.erasure.suppression)."""
    from aescrm.erasure.suppression import check_new_patient  # erasure builds on patients

    caller.require(Perm.PATIENT_EDIT)
    patient = Patient(owner_id=caller.user_id)
    _apply(patient, data, creating=True)
    # Encrypted (and the patient's key made, in the key vault) before the write
    # transaction starts: on SQLite other writers wait while it is open.
    seal(patient)
    with transaction.atomic():
        check_new_patient(patient, self_initiated=self_initiated, confirmed=confirm_erased)
        events = (
            _record_consent(
                patient, data.consent, source=consent_source, wording=consent_wording, caller=caller
            )
            if data.consent
            else []
        )
        _duplicate_check(patient)
        patient.save(force_insert=True)
        ConsentEvent.objects.bulk_create(events)
        search.index_new_patient(patient)
        audit_record("patient.create", object_type="patient", object_id=patient.pk)
        _apply_rights_flags(caller, patient, data, consent_source)
        record_usage("patient_created", caller.clinic_id, caller.user_id)
    return patient


def patient_update(
    *,
    caller: Caller,
    patient: Patient,
    data: PatientInput,
    consent_source: str = "staff",
    consent_wording: str = "",
    confirm_erased: bool = False,
) -> list[str]:
    """Change a patient's details. ``confirm_erased``: staff confirm that a new email or
    phone on the erasure suppression list belongs to someone who asked to be added again."""
    from aescrm.erasure.suppression import check_new_patient  # erasure builds on patients

    caller.require(Perm.PATIENT_EDIT)
    with transaction.atomic():
        before = rectification.snapshot(patient)
        changed = _apply(patient, data, creating=False)
        if readdressed := tuple(k for k in ("email", "phone") if k in changed):
            check_new_patient(
                patient, self_initiated=False, confirmed=confirm_erased, kinds=readdressed
            )
        if not (patient.email or patient.phone):
            raise ValidationFailed(
                "a patient needs an email address or a phone number", field="email"
            )
        events = (
            _record_consent(
                patient, data.consent, source=consent_source, wording=consent_wording, caller=caller
            )
            if data.consent
            else []
        )
        changed += [f"consent_{consent_key(event)}" for event in events]
        if changed:
            _duplicate_check(patient)
            patient.save()
            ConsentEvent.objects.bulk_create(events)
            history = rectification.record_changes(
                patient, before, caller=caller, source=consent_source
            )
            rectification.readdress_queued(patient, history)
            if {"first_name", "last_name", "email", "phone"} & set(changed):
                search.reindex_patient(patient)
            audit_record(
                "patient.update",
                object_type="patient",
                object_id=patient.pk,
                detail={"fields": sorted(changed)},
            )
        changed += _apply_rights_flags(caller, patient, data, consent_source)
    return changed


def patient_delete(*, caller: Caller, patient: Patient) -> None:
    caller.require(Perm.PATIENT_DELETE)
    with transaction.atomic():
        audit_record("patient.delete", object_type="patient", object_id=patient.pk)
        patient.delete()


def note_add(*, caller: Caller, patient: Patient, body: str) -> PatientNote:
    caller.require(Perm.PATIENT_EDIT)
    body = _clean_text("body", body, TEXT_MAX)
    if not body:
        raise ValidationFailed("the note is empty", field="body")
    with transaction.atomic():
        note = PatientNote.objects.create(patient=patient, body=body, author_id=caller.user_id)
        audit_record(
            "note.create",
            object_type="patient",
            object_id=patient.pk,
            detail={"note": str(note.pk)},
        )
    return note


def enquiry_create(
    *,
    caller: Caller,
    patient: Patient,
    channel: str,
    message: str = "",
    treatment: Treatment | None = None,
    first_touch: TouchInput | None = None,
    last_touch: TouchInput | None = None,
) -> Enquiry:
    """A new enquiry: its touches are kept and it counts as a lead conversion."""
    caller.require(Perm.ENQUIRY_EDIT)
    if channel not in EnquiryChannel.values:
        raise ValidationFailed(
            f"channel must be one of {', '.join(EnquiryChannel.values)}, not {channel!r}",
            field="channel",
        )
    with transaction.atomic():
        enquiry = Enquiry.objects.create(
            patient=patient,
            channel=channel,
            message=_clean_text("message", message, TEXT_MAX) or None,
            treatment=treatment,
        )
        touches_record(patient=patient, enquiry=enquiry, first=first_touch, last=last_touch)
        automation.enquiry_created(enquiry)
        conversion_record(
            kind=ConversionKind.LEAD,
            patient=patient,
            occurred_at=enquiry.created_at,
            enquiry=enquiry,
        )
        audit_record(
            "enquiry.create",
            object_type="enquiry",
            object_id=enquiry.pk,
            detail={"patient": str(patient.pk)},
        )
    return enquiry


def _check_free(
    practitioner: Practitioner, starts_at: dt.datetime, ends_at: dt.datetime, exclude: Any = None
) -> None:
    clash = (
        Appointment.objects.filter(
            practitioner=practitioner,
            status__in=HOLDS_TIME,
            starts_at__lt=ends_at,
            ends_at__gt=starts_at,
        )
        .exclude(pk=exclude)
        .first()
    )
    if clash is not None:
        raise Conflict(
            f"{practitioner.display_name} already has an appointment at that time",
            field="starts_at",
            conflicting_appointment=str(clash.pk),
        )


def _lock_practitioner(practitioner: Practitioner) -> None:
    # On PostgreSQL this row lock serialises bookings per practitioner (the
    # exclusion constraint is the backstop). SQLite's BEGIN IMMEDIATE already
    # serialises every writing transaction.
    Practitioner.objects.select_for_update().filter(pk=practitioner.pk).first()


def as_utc(moment: dt.datetime, *, field: str) -> dt.datetime:
    """The time in UTC. A naive time, or one off the calendar in UTC, is refused naming it."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValidationFailed(
            "times need a time zone offset (e.g. 2026-05-01T09:00:00+01:00)", field=field
        )
    try:
        return moment.astimezone(dt.UTC)
    except OverflowError as exc:
        raise ValidationFailed(f"{field} is out of range", field=field) from exc


def _shift(moment: dt.datetime, by: dt.timedelta) -> dt.datetime:
    """``moment + by``, or a validation error when that falls off the calendar."""
    try:
        return moment + by
    except OverflowError as exc:
        raise ValidationFailed("starts_at is out of range", field="starts_at") from exc


def _validate_times(starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise ValidationFailed(
            "times need a time zone offset (e.g. 2026-05-01T09:00:00+01:00)", field="starts_at"
        )
    if ends_at <= starts_at:
        raise ValidationFailed("ends_at must be after starts_at", field="ends_at")
    if ends_at - starts_at > dt.timedelta(hours=12):
        raise ValidationFailed("an appointment cannot last more than 12 hours", field="ends_at")


def _save_booking(appointment: Appointment) -> None:
    try:
        with transaction.atomic():
            appointment.save()
    except IntegrityError as exc:
        # The PostgreSQL exclusion constraint caught a race the lock missed.
        raise Conflict(
            "the practitioner already has an appointment at that time", field="starts_at"
        ) from exc


def appointment_book(
    *,
    caller: Caller,
    patient: Patient,
    treatment: Treatment,
    practitioner: Practitioner,
    starts_at: dt.datetime,
    ends_at: dt.datetime | None = None,
    value_pence: int | None = None,
    override: bool = False,
    override_reason: str | None = None,
) -> Appointment:
    """Book, or refuse with the rule broken (aescrm.scheduling.rules; ``override`` sets
    the rules aside for permitted staff, never a clash)."""
    caller.require(Perm.APPOINTMENT_EDIT)
    starts_at = as_utc(starts_at, field="starts_at")
    ends_at = as_utc(ends_at, field="ends_at") if ends_at else None
    ends_at = ends_at or _shift(starts_at, dt.timedelta(minutes=treatment.duration_minutes))
    _validate_times(starts_at, ends_at)
    if not practitioner.active:
        raise ValidationFailed(
            f"{practitioner.display_name} is not taking appointments", field="practitioner"
        )
    with transaction.atomic():
        _lock_practitioner(practitioner)
        _check_free(practitioner, starts_at, ends_at)
        permit = rules.check_bookable(
            caller=caller,
            practitioner=practitioner,
            treatment=treatment,
            starts_at=starts_at,
            ends_at=ends_at,
            override=override,
            override_reason=override_reason,
        )
        appointment = Appointment(
            patient=patient,
            treatment=treatment,
            practitioner=practitioner,
            starts_at=starts_at,
            ends_at=ends_at,
            value_pence=treatment.price_pence if value_pence is None else value_pence,
        )
        _save_booking(appointment)
        permit.record(appointment)
        appointment_conversions(appointment, previous_status=None)
        automation.appointment_booked(appointment)
        if patient.stage == Stage.LEAD:
            patient.stage = Stage.PATIENT
            patient.save(update_fields=["stage", "updated_at"])
        audit_record(
            "appointment.create",
            object_type="appointment",
            object_id=appointment.pk,
            detail={"patient": str(patient.pk)},
        )
    return appointment


def appointment_update(
    *,
    caller: Caller,
    appointment: Appointment,
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    practitioner: Practitioner | None = None,
    status: str | None = None,
    cancellation_reason: str | None = None,
    value_pence: int | None = None,
    override: bool = False,
    override_reason: str | None = None,
) -> list[str]:
    """Change an appointment; a move follows the same booking rules as a new booking."""
    caller.require(Perm.APPOINTMENT_EDIT)
    changed: list[str] = []
    permit = rules.Permit(caller)
    if status is not None and status not in AppointmentStatus.values:
        raise ValidationFailed(
            f"status must be one of {', '.join(AppointmentStatus.values)}, not {status!r}",
            field="status",
        )
    starts_at = as_utc(starts_at, field="starts_at") if starts_at else None
    ends_at = as_utc(ends_at, field="ends_at") if ends_at else None
    previous_status, previous_start = appointment.status, appointment.starts_at
    with transaction.atomic():
        if starts_at is not None and ends_at is None:
            ends_at = _shift(starts_at, appointment.ends_at - appointment.starts_at)
        new_start = starts_at or appointment.starts_at
        new_end = ends_at or appointment.ends_at
        new_practitioner = practitioner or appointment.practitioner
        _validate_times(new_start, new_end)
        new_status = status or appointment.status
        if status == AppointmentStatus.CANCELLED and not (cancellation_reason or "").strip():
            raise ValidationFailed(
                "say why the appointment is cancelled", field="cancellation_reason"
            )
        moving = (new_start, new_end, new_practitioner.pk) != (
            appointment.starts_at,
            appointment.ends_at,
            appointment.practitioner_id,
        )
        reviving = new_status in HOLDS_TIME and appointment.status not in HOLDS_TIME
        if (moving or reviving) and new_status in HOLDS_TIME:
            _lock_practitioner(new_practitioner)
            _check_free(new_practitioner, new_start, new_end, exclude=appointment.pk)
            permit = rules.check_bookable(
                caller=caller,
                practitioner=new_practitioner,
                treatment=appointment.treatment,
                starts_at=new_start,
                ends_at=new_end,
                exclude=appointment.pk,
                # Un-cancelling or marking a past visit attended is not a new booking.
                apply_rules=moving,
                kept_start=appointment.starts_at,
                override=override,
                override_reason=override_reason,
            )
        for field, value in (
            ("starts_at", new_start),
            ("ends_at", new_end),
            ("practitioner", new_practitioner),
            ("status", new_status),
        ):
            if getattr(appointment, field) != value:
                setattr(appointment, field, value)
                changed.append(field)
        if (
            cancellation_reason is not None
            and cancellation_reason != appointment.cancellation_reason
        ):
            appointment.cancellation_reason = _clean_text(
                "cancellation_reason", cancellation_reason, 200
            )
            changed.append("cancellation_reason")
        if value_pence is not None and value_pence != appointment.value_pence:
            if value_pence < 0:
                raise ValidationFailed("value_pence cannot be negative", field="value_pence")
            appointment.value_pence = value_pence
            changed.append("value_pence")
        if changed:
            _save_booking(appointment)
            permit.record(appointment)
            appointment_conversions(appointment, previous_status=previous_status)
            automation.appointment_changed(
                appointment, previous_status=previous_status, previous_start=previous_start
            )
            audit_record(
                "appointment.update",
                object_type="appointment",
                object_id=appointment.pk,
                detail={"fields": sorted(changed), "patient": str(appointment.patient_id)},
            )
    return changed
