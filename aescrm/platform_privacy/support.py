"""Support access grants: requested by AES-CRM staff, decided by the clinic's owner.

1. A staff member asks for access to one clinic, with a reason and 1–72 hours.
2. The clinic's owner approves (the grant runs from now for those hours) or denies.
3. While a grant runs, the staff member may open the clinic read-only
   (``active_grant``, checked on every request by the scope middleware); each
   page opened is audited as ``support.view`` on the clinic's chain.
4. The owner may end a running grant at any time; expiry needs no job, since
   every check compares ``expires_at`` with the clock.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Clinic, User
from aescrm.accounts.permissions import Perm
from aescrm.audit.models import AuditEntry
from aescrm.audit.services import audit_record
from aescrm.core.problems import Conflict, NotFound, PermissionDenied, ValidationFailed
from aescrm.core.tenancy import clinic_scope, unscoped
from aescrm.platform_privacy.models import MAX_GRANT_HOURS, GrantStatus, SupportGrant

# What a support session may do: read patients and their records, nothing else.
SUPPORT_SCOPES = ("patients:read",)


def grant_request(*, staff: User, clinic: Clinic, reason: str, hours: int) -> SupportGrant:
    if not staff.is_staff:
        raise PermissionDenied("only AES-CRM staff may ask for support access")
    reason = reason.strip()
    if not reason:
        raise ValidationFailed("say why you need access", field="reason")
    if len(reason) > 1000:
        raise ValidationFailed("a reason has at most 1000 characters", field="reason")
    if not 1 <= hours <= MAX_GRANT_HOURS:
        raise ValidationFailed(f"access lasts from 1 to {MAX_GRANT_HOURS} hours", field="hours")
    with clinic_scope(clinic.pk), transaction.atomic():
        grant = SupportGrant.objects.create(requested_by=staff, reason=reason, hours=hours)
        audit_record(
            "support.request",
            object_type="support_grant",
            object_id=grant.pk,
            detail={"hours": hours, "staff": str(staff.pk)},
        )
    return grant


def _grant_for_owner(caller: Caller, grant_id: uuid.UUID | str) -> SupportGrant:
    caller.require(Perm.SUPPORT_ACCESS_MANAGE)
    grant = SupportGrant.objects.select_for_update().filter(pk=grant_id).first()
    if grant is None:
        raise NotFound("no such support access request")
    return grant


def grant_decide(
    *, caller: Caller, grant_id: uuid.UUID | str, approve: bool, now: dt.datetime | None = None
) -> SupportGrant:
    now = now or timezone.now()
    with transaction.atomic():
        grant = _grant_for_owner(caller, grant_id)
        if grant.status != GrantStatus.PENDING:
            raise Conflict(f"this request is already {grant.get_status_display().lower()}")
        grant.status = GrantStatus.APPROVED if approve else GrantStatus.DENIED
        grant.decided_by_id = caller.user_id
        grant.decided_at = now
        if approve:
            grant.starts_at = now
            grant.expires_at = now + dt.timedelta(hours=grant.hours)
        grant.save()
        audit_record(
            "support.approve" if approve else "support.deny",
            object_type="support_grant",
            object_id=grant.pk,
            detail={"hours": grant.hours} if approve else {},
        )
    return grant


def grant_revoke(*, caller: Caller, grant_id: uuid.UUID | str) -> SupportGrant:
    now = timezone.now()
    with transaction.atomic():
        grant = _grant_for_owner(caller, grant_id)
        if grant.status != GrantStatus.APPROVED or not grant.expires_at or grant.expires_at <= now:
            raise Conflict("this access is not running")
        grant.status = GrantStatus.REVOKED
        grant.expires_at = now
        grant.save(update_fields=["status", "expires_at"])
        audit_record("support.revoke", object_type="support_grant", object_id=grant.pk)
    return grant


def active_grant(
    *, user: Any, clinic_id: uuid.UUID | str | None, grant_id: uuid.UUID | str
) -> SupportGrant | None:
    """The running grant ``grant_id`` of ``user`` for the clinic, or None."""
    if not getattr(user, "is_staff", False) or not clinic_id:
        return None
    try:
        with clinic_scope(clinic_id):
            return (
                SupportGrant.objects.select_related("clinic")
                .filter(
                    pk=grant_id,
                    requested_by=user,
                    status=GrantStatus.APPROVED,
                    expires_at__gt=timezone.now(),
                )
                .first()
            )
    except (ValueError, TypeError):
        return None


def support_caller(grant: SupportGrant) -> Caller:
    return Caller(clinic_id=grant.clinic_id, user_id=grant.requested_by_id, scopes=SUPPORT_SCOPES)


def record_view(grant: SupportGrant, path: str) -> None:
    audit_record(
        "support.view",
        object_type="support_grant",
        object_id=grant.pk,
        detail={"path": path[:300]},
    )


def grants_with_views() -> list[tuple[SupportGrant, list[AuditEntry]]]:
    """The active clinic's grants, newest first, each with the pages opened under it."""
    grants = list(SupportGrant.objects.select_related("requested_by", "decided_by"))
    views: dict[str, list[AuditEntry]] = {}
    for entry in AuditEntry.objects.filter(action="support.view").order_by("occurred_at"):
        views.setdefault(entry.object_id, []).append(entry)
    return [(g, views.get(str(g.pk), [])) for g in grants]


def grants_of_staff(staff: User) -> list[SupportGrant]:
    with unscoped("a staff member's own support requests, across clinics"):
        return list(SupportGrant.objects.filter(requested_by=staff).select_related("clinic")[:100])
