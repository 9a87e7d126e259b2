"""API key authentication and per-key rate limits."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer

from aescrm.accounts import ratelimit
from aescrm.accounts.caller import Caller
from aescrm.accounts.services import api_key_authenticate
from aescrm.audit.context import current_actor, set_actor, with_identity
from aescrm.billing import readonly
from aescrm.core.problems import DomainError
from aescrm.core.tenancy import enter_clinic


class RateLimited(DomainError):
    status = 429
    title = "Too many requests"
    type_slug = "rate-limited"


def _check_rate(key_id: uuid.UUID, limit: int) -> None:
    decision = ratelimit.hit(key_id, limit)
    if not decision.allowed:
        raise RateLimited(
            f"this API key is limited to {limit} requests a minute",
            retry_after=decision.retry_after,
        )


class ApiKeyAuth(HttpBearer):
    """``Authorization: Bearer <key>``: finds the key's clinic and enters its scope."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        key = api_key_authenticate(token)
        if key is None:
            return None
        _check_rate(key.pk, key.rate_limit_per_minute or settings.API_RATE_LIMIT_PER_MINUTE)
        request.caller = Caller(  # type: ignore[attr-defined]
            clinic_id=key.clinic_id, scopes=tuple(key.scopes), api_key_id=key.pk
        )
        # The API middleware runs each request in its own context copy, so
        # this scope and actor end with the request.
        set_actor(
            with_identity(
                current_actor(),
                type="api_key",
                id=str(key.pk),
                label=f"API key {key.name} ({key.prefix}…)",
            )
        )
        enter_clinic(key.clinic_id)
        # A read-only account's key reads; changes get 403 account-read-only (decision 0032).
        readonly.check_api_request(request, key.clinic_id)
        return key
