"""Helpers for the privacy register tests: requests made through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Patient
from aescrm.privacy import services
from aescrm.privacy.models import PrivacyRequest
from aescrm.testing.fixtures import ClinicWorld


def today(world: ClinicWorld) -> dt.date:
    with clinic_scope(world.clinic.pk):
        return services.clinic_today(world.clinic.pk)


def log_request(
    world: ClinicWorld,
    patient: Patient | None = None,
    *,
    kind: str = "access",
    received_on: dt.date | None = None,
    verified: bool = False,
    **extra: Any,
) -> PrivacyRequest:
    """A request logged by the clinic's owner, received today unless told."""
    with clinic_scope(world.clinic.pk):
        request = services.privacy_request_create(
            caller=world.caller("owner"),
            kind=kind,
            received_on=received_on or today(world),
            channel=extra.pop("channel", "email"),
            patient=patient,
            **extra,
        )
        if verified:
            request = services.privacy_request_identity(
                caller=world.caller("owner"),
                request=request,
                result="verified",
                evidence_note="Known patient, called back on the number on file",
            )
    return request


def set_deadline(world: ClinicWorld, request: PrivacyRequest, days_from_today: int) -> None:
    """Move a request's due date (tests of warnings need deadlines relative to today)."""
    with clinic_scope(world.clinic.pk):
        PrivacyRequest.objects.filter(pk=request.pk).update(
            due_on=today(world) + dt.timedelta(days=days_from_today)
        )


def fresh(world: ClinicWorld, request: PrivacyRequest) -> PrivacyRequest:
    with clinic_scope(world.clinic.pk):
        return PrivacyRequest.objects.get(pk=request.pk)


def audit_actions(world: ClinicWorld, request: PrivacyRequest) -> list[str]:
    with clinic_scope(world.clinic.pk):
        return list(
            AuditEntry.objects.filter(object_id=str(request.pk))
            .order_by("occurred_at", "id")
            .values_list("action", flat=True)
        )
