"""One-click unsubscribe links (RFC 8058): a signed token naming the clinic and patient.

The token is signed with the site's secret (``django.core.signing``), so the link
works without signing in and cannot be forged for another patient. It never
expires: an unsubscribe link in an old email must still work.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "aescrm.mail.unsubscribe"


def make_token(clinic_id: uuid.UUID, patient_id: uuid.UUID) -> str:
    # No timestamp in it: the same patient always gets the same link.
    return signing.Signer(salt=SALT).sign_object({"c": clinic_id.hex, "p": patient_id.hex})


def read_token(token: str) -> tuple[uuid.UUID, uuid.UUID] | None:
    try:
        data = signing.Signer(salt=SALT).unsign_object(token)
        return uuid.UUID(hex=data["c"]), uuid.UUID(hex=data["p"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def unsubscribe_url(clinic_id: uuid.UUID, patient_id: uuid.UUID) -> str:
    path = reverse("mail:unsubscribe", args=[make_token(clinic_id, patient_id)])
    return f"{settings.PUBLIC_BASE_URL}{path}"
