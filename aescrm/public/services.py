"""Receiving an enquiry from a clinic's website: dedupe, lead, touches, idempotency, spam."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Clinic
from aescrm.accounts.permissions import Scope
from aescrm.analytics.services import record as record_usage
from aescrm.audit.context import Actor, acting_as
from aescrm.core.problems import Conflict, ValidationFailed
from aescrm.core.tenancy import clinic_scope
from aescrm.patients import services as patient_services
from aescrm.patients.models import (
    ConsentSource,
    Enquiry,
    EnquiryChannel,
    Patient,
    Stage,
    Treatment,
)
from aescrm.public import idempotency, spam
from aescrm.public.idempotency import Answer
from aescrm.public.submission import Submission, parse_submission

CONSENT_SOURCE = "web_form"
THANK_YOU = "Thank you. Your enquiry has been sent and the clinic will be in touch soon."


@dataclass(frozen=True)
class Visitor:
    """Who sent the form, for the audit log."""

    ip: str | None
    user_agent: str
    request_id: str


def public_caller(clinic: Clinic) -> Caller:
    """What a website visitor may do: add a lead and an enquiry, nothing else."""
    return Caller(
        clinic_id=clinic.pk, scopes=(Scope.PATIENTS_WRITE.value, Scope.ENQUIRIES_WRITE.value)
    )


def public_actor(clinic: Clinic, visitor: Visitor) -> Actor:
    return Actor(
        type="public",
        id=clinic.public_key,
        label="website enquiry form",
        ip=visitor.ip,
        user_agent=visitor.user_agent[:300],
        request_id=visitor.request_id,
    )


def thank_you_url(clinic: Clinic) -> str:
    """The clinic's own thank-you page, else ours (also for one saved before it was checked)."""
    own = clinic.thank_you_url
    if own and all(ch.isprintable() for ch in own):
        return own
    return reverse("public:thank_you", args=[clinic.public_key])


def _answer(clinic: Clinic, enquiry_id: uuid.UUID, *, html: bool) -> Answer:
    """The same answer for a real enquiry and for quietly dropped spam."""
    if html:
        return Answer(status=303, location=thank_you_url(clinic))
    body = {"status": "received", "enquiry": str(enquiry_id), "detail": THANK_YOU}
    return Answer(status=201, content_type="application/json", body=json.dumps(body))


def _find_treatment(value: str) -> Treatment | None:
    if not value:
        return None
    try:
        by_id: Q = Q(pk=uuid.UUID(value))
    except ValueError:
        by_id = Q(pk__in=[])
    treatment = Treatment.objects.filter(by_id | Q(name__iexact=value), active=True).first()
    if treatment is None:
        raise ValidationFailed(
            f"this clinic offers no treatment {value[:120]!r}", field="treatment"
        )
    return treatment


def _blind_index(field: str, value: str) -> str:
    probe = Patient(**{field: value})
    index_field = Patient._meta.get_field(f"{field}_bidx")
    return str(index_field.pre_save(probe, add=False))  # type: ignore[union-attr]


def find_patient(email: str, phone: str) -> Patient | None:
    """The active clinic's patient with this email, else with this phone (blind indexes)."""
    for field, value in (("email", email), ("phone", phone)):
        if value:
            # No ORDER BY: it would steer SQLite off the (clinic, index) index.
            found = list(
                Patient.objects.filter(**{f"{field}_bidx": _blind_index(field, value)})[:1]
            )
            if found:
                return found[0]
    return None


def _patient_for(caller: Caller, sub: Submission, source: str = CONSENT_SOURCE) -> Patient:
    patient = find_patient(sub.email, sub.phone)
    grants = sub.consent_granted
    if patient is None:
        data = patient_services.PatientInput(
            first_name=sub.first_name or None,
            last_name=sub.last_name or None,
            email=sub.email or None,
            phone=sub.phone or None,
            stage=Stage.LEAD,
            consent=grants or None,
        )
        try:
            with transaction.atomic():
                # Created with the consent the visitor gave: nothing more to record.
                return patient_services.patient_create(
                    caller=caller,
                    data=data,
                    consent_source=source,
                    consent_wording=sub.consent_wording,
                    # The visitor wrote in: someone erased may come back as a new lead.
                    self_initiated=True,
                )
        except Conflict:
            # Another submission added them a moment ago.
            patient = find_patient(sub.email, sub.phone)
            if patient is None:
                raise
    if grants:
        # An existing patient's ticked boxes are recorded; a new one got them at creation.
        patient_services.patient_update(
            caller=caller,
            patient=patient,
            data=patient_services.PatientInput(consent=grants),
            consent_source=source,
            consent_wording=sub.consent_wording,
        )
    return patient


def _differences(patient: Patient, sub: Submission) -> str:
    """Details the visitor gave that differ from the record (the record is not changed)."""
    given = {
        "Name": " ".join(p for p in (sub.first_name, sub.last_name) if p),
        "Email": sub.email,
        "Phone": sub.phone,
    }
    held = {"Name": patient.full_name, "Email": patient.email or "", "Phone": patient.phone or ""}
    lines = [f"{k}: {v}" for k, v in given.items() if v and v.lower() != held[k].lower()]
    return "Details given with this enquiry:\n" + "\n".join(lines) if lines else ""


def enquiry_from_submission(
    clinic: Clinic, sub: Submission, *, channel: str = EnquiryChannel.WEB_FORM
) -> Enquiry:
    """The enquiry (and, when new, the lead) for a checked submission from the clinic's website."""
    caller = public_caller(clinic)
    # The consent ledger says where the consent was given: the form or the chat.
    source = ConsentSource.CHAT if channel == EnquiryChannel.CHAT else ConsentSource.WEB_FORM
    patient = _patient_for(caller, sub, source)
    message = "\n\n".join(p for p in (sub.enquiry_message(), _differences(patient, sub)) if p)
    return patient_services.enquiry_create(
        caller=caller,
        patient=patient,
        channel=channel,
        message=message[: patient_services.TEXT_MAX],
        treatment=_find_treatment(sub.treatment),
        first_touch=sub.first_touch,
        last_touch=sub.last_touch,
    )


def public_enquiry_receive(
    *,
    clinic: Clinic,
    data: Mapping[str, Any],
    visitor: Visitor,
    html: bool,
    idempotency_key: str | None = None,
) -> Answer:
    """Take one website enquiry for ``clinic``; the answer to send (and replay)."""
    key = idempotency.key_hash(idempotency_key)
    req_hash = idempotency.request_hash(data)
    with clinic_scope(clinic.pk), acting_as(public_actor(clinic, visitor)):
        if key and (stored := idempotency.replay(key, req_hash)) is not None:
            return stored
        try:
            with transaction.atomic():
                reason = spam.spam_reason(data)
                if reason:
                    spam.spam_count(reason, clinic=clinic)
                    answer = _answer(clinic, uuid.uuid4(), html=html)
                else:
                    enquiry = enquiry_from_submission(clinic, parse_submission(data))
                    answer = _answer(clinic, enquiry.pk, html=html)
                    record_usage("enquiry_received", clinic.pk)
                if key:
                    idempotency.remember(key, req_hash, answer)
        except IntegrityError:
            # The same key arrived twice at once: the other request's answer stands.
            stored = idempotency.replay(key, req_hash) if key else None
            if stored is None:
                raise
            return stored
    return answer
