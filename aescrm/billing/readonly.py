"""A read-only account's pages and API: reads work, changes are refused (decision 0032).

Staff pages and API keys of a clinic whose account is read-only (subscription
ended, or payment overdue past the grace period) may read everything; a
request that would change something (POST, PUT, PATCH, DELETE) is refused with
the reason and the way back (billing), unless it is one of the few things that
must still work: signing in and out, switching clinic, billing, exports of the
clinic's data, and answering people's privacy rights, which the clinic owes as
controller whether or not it pays us.
"""

from __future__ import annotations

import re
import uuid

from django.http import HttpRequest

from aescrm.billing.state import AccountState, account_state
from aescrm.core.problems import DomainError

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
BILLING_PATH = "/settings/billing"

# Staff pages that change something yet stay open (anchored at the start of the path).
STAFF_WRITABLE = tuple(
    re.compile(pattern)
    for pattern in (
        r"^/sign-in",  # and /sign-in/two-factor
        r"^/sign-out$",
        r"^/switch-clinic$",
        r"^/settings/billing",  # choosing a plan is the way back
        r"^/settings/export",  # the whole clinic's data
        r"^/patients/[0-9a-f-]+/export$",  # one patient's data (subject access)
        r"^/privacy/",  # the register of rights requests and its exports
        r"^/patients/[0-9a-f-]+/(erase|rights)$",  # erasure, restriction, objection
        r"^/erasures/",
        r"^/exports/download/",
        r"^/account/",  # the user's own account: download their data, close it
        r"^/settings/support-access",  # let AES-CRM support in, to help sort things out
        r"^/platform/",  # AES-CRM Ltd's own staff pages
    )
)

# API operations that change something yet stay open (after /api/v1).
API_WRITABLE = tuple(
    re.compile(pattern)
    for pattern in (
        r"^/clinic/export$",
        r"^/privacy/requests",
        r"^/patients/[0-9a-f-]+/(erasure|restriction|objection)$",
        r"^/templates/[0-9a-f-]+/preview$",  # renders only; writes nothing
    )
)


class AccountReadOnly(DomainError):
    status = 403
    title = "Account read-only"
    type_slug = "account-read-only"


def refusal(state: AccountState) -> AccountReadOnly:
    message = state.message or "This account is read-only: nothing is sent or changed."
    return AccountReadOnly(
        message,
        account_status=state.status,
        billing_url=BILLING_PATH,
    )


def staff_write_allowed(path: str) -> bool:
    return any(p.match(path) for p in STAFF_WRITABLE)


def api_write_allowed(path: str) -> bool:
    path = path.removeprefix("/api/v1")
    return any(p.match(path) for p in API_WRITABLE)


def request_state(request: HttpRequest, clinic_id: uuid.UUID) -> AccountState:
    """The clinic's state for this request: read once, then kept on the request."""
    cached = getattr(request, "account_state", None)
    if cached is not None and getattr(request, "account_state_clinic", None) == clinic_id:
        return cached
    state = account_state(clinic_id)
    request.account_state = state  # type: ignore[attr-defined]
    request.account_state_clinic = clinic_id  # type: ignore[attr-defined]
    return state


def check_api_request(request: HttpRequest, clinic_id: uuid.UUID) -> None:
    """Refuse (403 problem details) an API change by a read-only clinic's key."""
    if request.method in SAFE_METHODS or api_write_allowed(request.path):
        return
    state = request_state(request, clinic_id)
    if not state.can_change:
        raise refusal(state)
