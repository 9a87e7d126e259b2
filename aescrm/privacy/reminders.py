"""Remind owners and managers of privacy requests falling due.

Reuses the automations' staff notifications (a line on the dashboard of each
role it is meant for, until someone marks it read), one per role per request
per clinic day: running twice in a day reminds once.
"""

from __future__ import annotations

from django.db import transaction

from aescrm.accounts.permissions import Role
from aescrm.audit.services import audit_record
from aescrm.automation.models import StaffNotification
from aescrm.core.tenancy import current_clinic_id
from aescrm.privacy.models import PrivacyRequest
from aescrm.privacy.selectors import due_for_reminder, due_warning
from aescrm.privacy.services import clinic_today

REMINDED_ROLES = (Role.OWNER, Role.MANAGER)


def reminder_text(request: PrivacyRequest, warning_text: str) -> str:
    # No names in the line: it says which kind of request and when, the link says who.
    return (
        f"Privacy request ({request.get_kind_display().lower()}): {warning_text.lower()}"
        f" – deadline {request.deadline:%a} {request.deadline.day} {request.deadline:%b %Y}."
    )


def remind_due_requests() -> int:
    """Notify for each open request within a week of its deadline; returns how many."""
    today = clinic_today(current_clinic_id())
    reminded = 0
    for request in due_for_reminder(today):
        warning = due_warning(request.deadline, today)
        if warning is None:  # pragma: no cover - due_for_reminder picks only these
            continue
        with transaction.atomic():
            claimed = (
                PrivacyRequest.objects.filter(pk=request.pk)
                .exclude(last_reminded_on=today)
                .update(last_reminded_on=today)
            )
            if not claimed:
                continue  # another worker reminded it already today
            for role in REMINDED_ROLES:
                StaffNotification.objects.create(
                    patient=request.patient, role=role, text=reminder_text(request, warning.text)
                )
            audit_record(
                "privacy.request.remind",
                object_type="privacy_request",
                object_id=request.pk,
                detail={
                    "roles": [r.value for r in REMINDED_ROLES],
                    "deadline": request.deadline.isoformat(),
                    "warning": warning.level,
                },
            )
        reminded += 1
    return reminded
