"""Reads of a clinic's API keys for the settings pages (the key itself is never stored)."""

from __future__ import annotations

import uuid
from typing import Any

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import ApiKey
from aescrm.accounts.permissions import Perm
from aescrm.core.problems import NotFound


def api_keys_of_clinic(*, caller: Caller) -> list[ApiKey]:
    """The caller's clinic's keys, newest first. ApiKey is not a tenant model: filter here."""
    caller.require(Perm.API_KEYS_MANAGE)
    return list(
        ApiKey.objects.filter(clinic_id=caller.clinic_id)
        .select_related("created_by")
        .order_by("-created_at")
    )


def api_key_get(*, caller: Caller, key_id: Any) -> ApiKey:
    caller.require(Perm.API_KEYS_MANAGE)
    try:
        kid = uuid.UUID(str(key_id))
    except ValueError as exc:
        raise NotFound("no such API key") from exc
    key = ApiKey.objects.filter(clinic_id=caller.clinic_id, pk=kid).first()
    if key is None:
        raise NotFound("no such API key")
    return key
