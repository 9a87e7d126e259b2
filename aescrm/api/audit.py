from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from aescrm.accounts.permissions import Perm
from aescrm.api.common import ERRORS, caller_of
from aescrm.api.schemas import AuditPageOut, Clean
from aescrm.audit import selectors

router = Router(tags=["audit"])


class AuditParams(Clean):
    action: str | None = None
    object_id: str | None = None
    actor: str | None = None
    before: int | None = None
    limit: int = 100


@router.get("/audit", response={200: AuditPageOut, **ERRORS})
def list_audit(request: HttpRequest, params: Query[AuditParams]) -> dict[str, object]:
    caller = caller_of(request)
    caller.require(Perm.AUDIT_VIEW)
    page = selectors.audit_page(
        action=params.action,
        object_id=params.object_id,
        actor=params.actor,
        before=params.before,
        limit=params.limit,
    )
    return {
        "items": page.entries,
        "next_cursor": str(page.next_before) if page.next_before else None,
    }
