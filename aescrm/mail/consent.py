"""Withdrawing email marketing consent: the unsubscribe link, a complaint, Postmark's link.

Written through ``patients.services.patient_update`` so the change lands in the
patient's consent history (ConsentEvent: channel email, source, wording) and the
audit log like any other consent change.
"""

from __future__ import annotations

import uuid

from aescrm.messaging.webhooks import webhook_caller
from aescrm.patients import services as patient_services
from aescrm.patients.models import Patient
from aescrm.public.services import find_patient


def withdraw_for_patient(
    clinic_id: uuid.UUID, patient: Patient, *, source: str, wording: str
) -> bool:
    """True if consent was withdrawn now (False: it was not given, nothing to record)."""
    if not patient.consent_email:
        return False
    patient_services.patient_update(
        caller=webhook_caller(clinic_id),
        patient=patient,
        data=patient_services.PatientInput(consent={"email": False}),
        consent_source=source,
        consent_wording=wording,
    )
    return True


def withdraw_email_marketing(
    clinic_id: uuid.UUID, address: str, *, source: str, wording: str
) -> bool:
    patient = find_patient(address.strip().lower(), "")
    if patient is None:
        return False
    return withdraw_for_patient(clinic_id, patient, source=source, wording=wording)
