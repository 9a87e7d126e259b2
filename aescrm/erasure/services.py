"""Erase a patient: everything goes in one transaction, except what must stay (minimised)."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from aescrm.accounts.caller import Caller
from aescrm.accounts.permissions import Perm
from aescrm.audit.services import audit_record
from aescrm.core.problems import Conflict, ValidationFailed
from aescrm.crypto.shredding import shred_patient_key
from aescrm.erasure.models import Erasure, ErasureReason
from aescrm.erasure.plan import plan_erasure
from aescrm.erasure.rules import PROFILE, all_rules
from aescrm.erasure.suppression import patient_hashes, suppress
from aescrm.patients.models import Patient
from aescrm.patients.services import PERSONAL_FIELDS


class ErasureHeld(Conflict):
    """A 409 problem: a legal hold stops this erasure."""

    title = "Erasure blocked by a legal hold"
    type_slug = "erasure-held"


def _reason(value: str) -> str:
    if value not in ErasureReason.values:
        raise ValidationFailed(
            f"reason must be one of {', '.join(ErasureReason.values)}, not {value!r}",
            field="reason",
        )
    return value


def _minimise_patient(patient: Patient) -> None:
    """Empty the row: no name, contact details, notes, tags or consents; nothing sent to it."""
    for name in PERSONAL_FIELDS:
        setattr(patient, name, None)
    patient.tags = []
    patient.consent_sms = patient.consent_email = patient.consent_phone = False
    patient.restricted = True
    patient.objects_to_profiling = True
    patient.owner = None
    patient.save()  # the blind indexes follow the emptied email and phone: none


def erase_patient(
    patient: Patient,
    *,
    by: Caller,
    reason: str,
    privacy_request_id: uuid.UUID | None = None,
) -> Erasure:
    """Remove the person everywhere (docs/decisions/0025). ``ErasureHeld`` under a legal hold.

    1. Lock the patient row; refuse if a legal hold applies.
    2. Apply every rule of ``aescrm.erasure.rules`` in order (children first):
       delete its rows, minimise the rows it keeps.
    3. Delete the patient row, or empty it into a tombstone when rows were kept.
    4. Put the person's email and phone (keyed hashes) on the suppression list.
    5. Record the erasure and audit it with counts per category, never values.
    """
    by.require(Perm.PATIENT_ERASE)
    reason = _reason(reason)
    with transaction.atomic():
        patient = Patient.objects.select_for_update().get(pk=patient.pk)
        plan = plan_erasure(patient)
        if plan.held is not None:
            raise ErasureHeld(f"this patient's data is under a legal hold: {plan.held}")
        hashes = patient_hashes(patient)
        category_of = {rule.model: rule.category.code for rule in all_rules()}
        removed: Counter[str] = Counter()
        kept: Counter[str] = Counter()
        detached: Counter[str] = Counter()
        for rule in all_rules():
            if rule.category is PROFILE:
                continue
            rows = rule.rows(patient)
            if rule.keep is not None:
                keep = rule.keep(patient)
                kept_ids = list(keep.values_list("pk", flat=True))
                _minimise_kept(rule.model, keep)
                if kept_ids:
                    (detached if rule.detach else kept)[rule.category.code] += len(kept_ids)
                rows = rule.rows(patient).exclude(pk__in=kept_ids)
            _, per_model = rows.delete()
            for label, count in per_model.items():
                if count:
                    removed[category_of.get(label, "other")] += count
        if kept:
            _minimise_patient(patient)
            kept[PROFILE.code] += 1
        else:
            _, per_model = Patient.objects.filter(pk=patient.pk).delete()
            for label, count in per_model.items():
                if count:
                    removed[category_of.get(label, "other")] += count
        # The person's own key goes once this commits: every copy of their ciphertexts,
        # backups of this database included, is unreadable from then on (0022).
        shred_patient_key(patient.clinic_id, patient.pk)
        erasure = Erasure.objects.create(
            patient_id=patient.pk,
            reason=reason,
            privacy_request_id=privacy_request_id,
            by_id=by.user_id,
            removed=dict(sorted(removed.items())),
            kept=dict(sorted((kept + detached).items())),
            tombstone=bool(kept),
        )
        suppress(hashes, erasure=erasure, by_id=by.user_id)
        if privacy_request_id is not None:
            _complete_request(by, privacy_request_id, erasure)
        audit_record(
            "privacy.erasure.completed",
            object_type="patient",
            object_id=patient.pk,
            detail={
                "erasure": str(erasure.pk),
                "reason": reason,
                "privacy_request": str(privacy_request_id or ""),
                "removed": erasure.removed,
                "kept": erasure.kept,
                "tombstone": erasure.tombstone,
                "suppressed": sorted(hashes),
            },
        )
    return erasure


def _minimise_kept(model: str, rows: QuerySet[Any]) -> None:
    """Strip what a kept row says about the person."""
    if model == "patients.Appointment":
        rows.update(cancellation_reason=None)
    elif model == "privacy.PrivacyRequest":
        rows.update(patient=None, requester_details=None, evidence_note=None, notes=None)


def _complete_request(by: Caller, request_id: uuid.UUID, erasure: Erasure) -> None:
    """Close the register's erasure request this answered, saying what was done.

    Left open (for staff to close) when the identity check is not recorded as done.
    """
    from aescrm.privacy.models import IdentityStatus, PrivacyRequest
    from aescrm.privacy.services import privacy_request_complete

    request = PrivacyRequest.objects.filter(pk=request_id).first()
    if request is None or not request.is_open:
        return
    if request.identity_status != IdentityStatus.VERIFIED or not by.can(Perm.PRIVACY_MANAGE):
        return
    removed = sum(erasure.removed.values())
    kept = ", ".join(f"{count} {code.replace('_', ' ')}" for code, count in erasure.kept.items())
    outcome = f"Erased: {removed} records removed everywhere and the person's key destroyed"
    outcome += f"; kept, minimised: {kept}." if kept else "; nothing kept."
    privacy_request_complete(caller=by, request=request, outcome=outcome)
