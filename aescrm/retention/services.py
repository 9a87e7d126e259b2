"""Legal holds and per-clinic retention periods: the writes, each audited.

``active_hold(patient)`` is the one question other code asks ("may this
patient's data be deleted?"): it answers with the patient's own hold or the
clinic's, or None.
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Clinic
from aescrm.accounts.permissions import Perm
from aescrm.audit.services import audit_record
from aescrm.core.problems import Conflict, NotFound, ValidationFailed
from aescrm.core.tenancy import clinic_scope, unscoped
from aescrm.patients.models import Patient
from aescrm.retention.models import LegalHold, RetentionPolicy
from aescrm.retention.policies import BY_KEY, Category

MAX_REASON = 2000


def active_hold(patient: Patient) -> LegalHold | None:
    """The legal hold that covers ``patient`` (their own first, else the clinic's), if any."""
    with clinic_scope(patient.clinic_id):
        holds = LegalHold.objects.filter(lifted_at=None).filter(
            Q(patient_id=patient.pk) | Q(patient__isnull=True)
        )
        return holds.order_by(F("patient_id").asc(nulls_last=True), "-placed_at").first()


def clinic_hold() -> LegalHold | None:
    """The active clinic's whole-clinic hold, if one is in force."""
    return LegalHold.objects.filter(lifted_at=None, patient__isnull=True).first()


def held_patient_ids() -> set[uuid.UUID]:
    return set(
        LegalHold.objects.filter(lifted_at=None, patient__isnull=False).values_list(
            "patient_id", flat=True
        )
    )


def active_holds() -> list[LegalHold]:
    return list(LegalHold.objects.filter(lifted_at=None).select_related("patient"))


def _reason(value: str, field: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationFailed("say why (it is kept with the hold)", field=field)
    if len(text) > MAX_REASON:
        raise ValidationFailed(f"keep it under {MAX_REASON} characters", field=field)
    return text


def legal_hold_place(*, caller: Caller, patient: Patient | None, reason: str) -> LegalHold:
    """Hold one patient's data (or, with no patient, the whole clinic's) from retention."""
    caller.require(Perm.RETENTION_MANAGE)
    text = _reason(reason, "reason")
    with transaction.atomic():
        existing = LegalHold.objects.filter(lifted_at=None)
        existing = (
            existing.filter(patient_id=patient.pk) if patient else existing.filter(patient=None)
        )
        if existing.exists():
            raise Conflict(
                "this patient is already under a legal hold"
                if patient
                else "the clinic is already under a legal hold",
                field="reason",
            )
        hold = LegalHold.objects.create(
            patient=patient,
            reason=text,
            placed_by_id=caller.user_id,
            placed_at=timezone.now(),
        )
        audit_record(
            "legal_hold.place",
            object_type="legal_hold",
            object_id=hold.pk,
            detail={"scope": "patient" if patient else "clinic", "patient_id": _pid(patient)},
        )
    return hold


def legal_hold_lift(*, caller: Caller, hold_id: uuid.UUID | str, reason: str) -> LegalHold:
    """Lift a hold: retention applies again from the next run. The hold stays on record."""
    caller.require(Perm.RETENTION_MANAGE)
    text = _reason(reason, "lift_reason")
    with transaction.atomic():
        hold = LegalHold.objects.select_for_update().filter(pk=hold_id).first()
        if hold is None:
            raise NotFound("no such legal hold")
        if hold.lifted_at is not None:
            raise Conflict("this hold was already lifted", field="lift_reason")
        hold.lifted_at = timezone.now()
        hold.lifted_by_id = caller.user_id
        hold.lift_reason = text
        hold.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
        audit_record(
            "legal_hold.lift",
            object_type="legal_hold",
            object_id=hold.pk,
            detail={
                "scope": "patient" if hold.patient_id else "clinic",
                "patient_id": str(hold.patient_id) if hold.patient_id else "",
            },
        )
    return hold


def _pid(patient: Patient | None) -> str:
    return str(patient.pk) if patient else ""


def policy_months(category: Category) -> int | None:
    """The active clinic's period for ``category``: its own setting, else the default."""
    if not category.overridable:
        return category.default_months
    own = RetentionPolicy.objects.filter(category=category.key).first()
    return own.months if own else category.default_months


def policy_set(*, caller: Caller, category: str, months: int) -> RetentionPolicy | None:
    """Set the clinic's period for a category; the default period removes the override."""
    caller.require(Perm.RETENTION_MANAGE)
    cat = BY_KEY.get(category)
    if cat is None or not cat.overridable:
        raise ValidationFailed("this category's period cannot be changed here", field="category")
    if months < 1 or months > 1200:
        raise ValidationFailed("give a period between 1 and 1200 months", field="months")
    if cat.minimum_months and months < cat.minimum_months:
        raise ValidationFailed(
            f"{cat.label} must be kept at least {cat.minimum_months} months: {cat.minimum_why}",
            field="months",
        )
    with transaction.atomic():
        current = RetentionPolicy.objects.select_for_update().filter(category=cat.key).first()
        previous = current.months if current else cat.default_months
        row: RetentionPolicy | None
        if months == cat.default_months:
            if current:
                current.delete()
            row = None
        elif current:
            current.months, current.updated_by_id = months, caller.user_id
            current.save(update_fields=["months", "updated_by", "updated_at"])
            row = current
        else:
            row = RetentionPolicy.objects.create(
                category=cat.key, months=months, updated_by_id=caller.user_id
            )
        audit_record(
            "retention.policy.set",
            object_type="retention_policy",
            object_id=cat.key,
            detail={"category": cat.key, "months": months, "previous": previous},
        )
    return row


def clinic_terminate(*, clinic: Clinic) -> Clinic:
    """Record that a clinic's account ended (a platform action): the 7-year clock starts."""
    with transaction.atomic(), unscoped("terminating a clinic's account"):
        updated = Clinic.objects.filter(pk=clinic.pk, terminated_at=None).update(
            terminated_at=timezone.now()
        )
        clinic.refresh_from_db()
        if updated:
            audit_record(
                "clinic.terminate",
                object_type="clinic",
                object_id=clinic.pk,
                clinic_id=clinic.pk,
                detail={"terminated_at": clinic.terminated_at.isoformat()},  # type: ignore[union-attr]
            )
    return clinic


def clinic_reactivate(*, clinic: Clinic) -> Clinic:
    """A terminated clinic's account is live again (it subscribed anew): the 7-year clock stops."""
    with transaction.atomic(), unscoped("reactivating a clinic's account"):
        ended = Clinic.objects.filter(pk=clinic.pk).values_list("terminated_at", flat=True).first()
        updated = Clinic.objects.filter(pk=clinic.pk, terminated_at__isnull=False).update(
            terminated_at=None
        )
        clinic.refresh_from_db()
        if updated:
            audit_record(
                "clinic.reactivate",
                object_type="clinic",
                object_id=clinic.pk,
                clinic_id=clinic.pk,
                detail={"terminated_at_was": ended.isoformat() if ended else None},
            )
    return clinic
