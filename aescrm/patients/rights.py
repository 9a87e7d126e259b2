"""Restriction (UK GDPR art. 18) and objection (art. 21) as recorded decisions.

Each decision is a RightsDecision row (kind, reason encrypted, who, when), audited, and
the one writer of the ``restricted`` / ``objects_to_profiling`` caches the senders,
scoring and conversions read. What each one stops (docs/decisions/0027):

- restriction: every message (service and marketing: the sending policy refuses, so
  reminders, automations, bulk sends, auto text-back and chat follow-ups with it), lead
  scoring, and ad-platform conversions (pending uploads are held and sent if still
  eligible once the restriction is lifted);
- objection to direct marketing: marketing consent withdrawn on every channel at once
  (ledger rows with source "objection");
- objection to profiling: no lead score and no conversion uploads for the person.
"""

from __future__ import annotations

from django.db import transaction

from aescrm.accounts.caller import Caller
from aescrm.accounts.permissions import Perm
from aescrm.audit.services import audit_record
from aescrm.core.problems import Conflict, ValidationFailed
from aescrm.patients.consent import MARKETING_KEYS, consent_change
from aescrm.patients.models import ConsentSource, DecisionKind, Patient, RightsDecision

REASON_MAX = 2000
OBJECTION_KINDS = ("marketing", "profiling")


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("say why (the reason is kept with the decision)", field="reason")
    if len(reason) > REASON_MAX:
        raise ValidationFailed(f"reason is longer than {REASON_MAX} characters", field="reason")
    if "\x00" in reason:
        raise ValidationFailed("reason contains a NUL character", field="reason")
    return reason


def _decide(caller: Caller, patient: Patient, kind: str, reason: str) -> RightsDecision:
    decision = RightsDecision.objects.create(
        patient=patient, kind=kind, reason=reason, decided_by_id=caller.user_id
    )
    audit_record(
        f"patient.{kind}",
        object_type="patient",
        object_id=patient.pk,
        detail={"decision": str(decision.pk)},
    )
    return decision


def _locked(patient: Patient) -> Patient:
    """The patient's row, locked for the decision (two staff deciding at once)."""
    locked = Patient.objects.select_for_update().get(pk=patient.pk)
    patient.restricted = locked.restricted
    patient.objects_to_profiling = locked.objects_to_profiling
    return locked


def restrict(*, caller: Caller, patient: Patient, reason: str) -> RightsDecision:
    """Restrict processing: only storage from now on; nothing is sent about or to them."""
    from aescrm.conversions.models import NotEligible
    from aescrm.conversions.services import uploads_hold_for_patient

    caller.require(Perm.PATIENT_EDIT)
    reason = _reason(reason)
    with transaction.atomic():
        _locked(patient)
        if patient.restricted:
            raise Conflict("processing of this patient's data is already restricted")
        patient.restricted = True
        patient.save(update_fields=["restricted", "updated_at"])
        decision = _decide(caller, patient, DecisionKind.RESTRICT, reason)
        uploads_hold_for_patient(patient.pk, NotEligible.RESTRICTED)
    return decision


def lift_restriction(*, caller: Caller, patient: Patient, reason: str) -> RightsDecision:
    """Lift a restriction: messages flow again and held conversions are checked again."""
    from aescrm.conversions.services import uploads_release_for_patient

    caller.require(Perm.PATIENT_EDIT)
    reason = _reason(reason)
    with transaction.atomic():
        _locked(patient)
        if not patient.restricted:
            raise Conflict("processing of this patient's data is not restricted")
        patient.restricted = False
        patient.save(update_fields=["restricted", "updated_at"])
        decision = _decide(caller, patient, DecisionKind.LIFT_RESTRICTION, reason)
        uploads_release_for_patient(patient.pk)
    return decision


def object_to(*, caller: Caller, patient: Patient, kind: str, reason: str) -> RightsDecision:
    """Record an objection: ``marketing`` (direct marketing) or ``profiling``."""
    from aescrm.conversions.models import NotEligible
    from aescrm.conversions.services import uploads_hold_for_patient

    caller.require(Perm.PATIENT_EDIT)
    if kind not in OBJECTION_KINDS:
        raise ValidationFailed("kind must be marketing or profiling", field="kind")
    reason = _reason(reason)
    with transaction.atomic():
        _locked(patient)
        if kind == "marketing":
            decision = _decide(caller, patient, DecisionKind.OBJECT_MARKETING, reason)
            # Every channel at once, each withdrawal in the ledger with its source.
            consent_change(
                caller=caller,
                patient=patient,
                changes=dict.fromkeys(MARKETING_KEYS, False),
                source=ConsentSource.OBJECTION,
                wording=f"Objected to direct marketing: {reason}",
            )
            return decision
        if patient.objects_to_profiling:
            raise Conflict("this patient has already objected to profiling")
        patient.objects_to_profiling = True
        patient.save(update_fields=["objects_to_profiling", "updated_at"])
        decision = _decide(caller, patient, DecisionKind.OBJECT_PROFILING, reason)
        uploads_hold_for_patient(patient.pk, NotEligible.OBJECTED)
    return decision


def withdraw_profiling_objection(
    *, caller: Caller, patient: Patient, reason: str
) -> RightsDecision:
    """The patient withdrew their objection to profiling: scoring resumes (uploads stay)."""
    caller.require(Perm.PATIENT_EDIT)
    reason = _reason(reason)
    with transaction.atomic():
        _locked(patient)
        if not patient.objects_to_profiling:
            raise Conflict("this patient has not objected to profiling")
        patient.objects_to_profiling = False
        patient.save(update_fields=["objects_to_profiling", "updated_at"])
        return _decide(caller, patient, DecisionKind.WITHDRAW_PROFILING_OBJECTION, reason)


def decisions(patient: Patient) -> list[RightsDecision]:
    """The patient's decisions, newest first."""
    return list(
        RightsDecision.objects.filter(patient=patient)
        .select_related("decided_by")
        .order_by("-decided_at", "-id")
    )


def restriction_in_force(patient: Patient) -> RightsDecision | None:
    """The decision that restricted the patient, while it is in force."""
    if not patient.restricted:
        return None
    return (
        RightsDecision.objects.filter(patient=patient, kind=DecisionKind.RESTRICT)
        .order_by("-decided_at", "-id")
        .first()
    )
