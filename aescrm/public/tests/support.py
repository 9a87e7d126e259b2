"""Helpers for the public endpoint's tests: a website visitor's requests."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.test import Client

from aescrm.accounts.models import Clinic
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Enquiry, Patient

SITE = "https://alpha.example"
WORDING = "Yes, send me offers and news by email and text message."


def url(clinic: Clinic) -> str:
    return f"/public/v1/{clinic.public_key}/enquiries"


def enquiry(**fields: Any) -> dict[str, Any]:
    return {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.org",
        "phone": "07700 900123",
        "message": "I'd like to ask about whitening.",
        **fields,
    }


def post_json(clinic: Clinic, data: Any, *, origin: str | None = SITE, **headers: Any) -> Any:
    if origin is not None:
        headers.setdefault("HTTP_ORIGIN", origin)
    body = data if isinstance(data, str | bytes) else json.dumps(data)
    return Client().post(url(clinic), body, content_type="application/json", **headers)


def post_form(
    clinic: Clinic,
    pairs: list[tuple[str, str]] | dict[str, str],
    *,
    origin: str | None = SITE,
    accept: str = "text/html,application/xhtml+xml,*/*;q=0.8",
    **headers: Any,
) -> Any:
    if origin is not None:
        headers.setdefault("HTTP_ORIGIN", origin)
    return Client().post(
        url(clinic),
        urlencode(pairs),
        content_type="application/x-www-form-urlencoded",
        HTTP_ACCEPT=accept,
        **headers,
    )


def patients(clinic: Clinic) -> list[Patient]:
    with clinic_scope(clinic.pk):
        return list(Patient.objects.all())


def enquiries(clinic: Clinic) -> list[Enquiry]:
    with clinic_scope(clinic.pk):
        return list(Enquiry.objects.order_by("created_at"))
