"""Addresses the clinic sends no more email to: a hard bounce or a spam complaint."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from aescrm.audit.services import audit_record
from aescrm.core.tenancy import current_clinic_id
from aescrm.crypto import keys
from aescrm.mail.models import Suppression
from aescrm.messaging.models import Message
from aescrm.patients.models import Patient
from aescrm.patients.normalise import normalise_email


def email_index(email: str) -> str:
    """The active clinic's blind index of an address (the same as Patient.email_bidx)."""
    return keys.blind_index(current_clinic_id(), "email", normalise_email(email))


def suppression_of(patient: Patient) -> Suppression | None:
    if not patient.email:
        return None
    index = patient.email_bidx or email_index(str(patient.email))
    return Suppression.objects.filter(email_bidx=index).first()


def is_suppressed(email: str) -> bool:
    return Suppression.objects.filter(email_bidx=email_index(email)).exists()


def suppress(email: str, *, reason: str, message: Message | None = None) -> Suppression:
    """Suppress ``email`` (once: a second bounce or a replay keeps the first row)."""
    existing = Suppression.objects.filter(email_bidx=email_index(email)).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            row = Suppression.objects.create(
                email=normalise_email(email), reason=reason, message=message
            )
            audit_record(
                "email.suppress",
                object_type="suppression",
                object_id=row.pk,
                detail={"reason": reason, "message": str(message.pk) if message else ""},
            )
    except IntegrityError:
        return Suppression.objects.get(email_bidx=email_index(email))
    return row
