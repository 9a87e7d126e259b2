from __future__ import annotations

import uuid
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest

from aescrm.accounts.caller import Caller
from aescrm.api.schemas import Problem
from aescrm.core.problems import NotFound, ValidationFailed

M = TypeVar("M", bound=Model)

# Declared on every operation so the OpenAPI schema lists every status it can answer.
ERRORS: dict[int, Any] = {
    400: Problem,
    401: Problem,
    403: Problem,
    404: Problem,
    409: Problem,
    422: Problem,
    429: Problem,
}


def caller_of(request: HttpRequest) -> Caller:
    return request.caller  # type: ignore[attr-defined]


def get_in_clinic(
    queryset: QuerySet[M], object_id: Any, *, label: str, field: str | None = None
) -> M:
    """Fetch by id within the active clinic: other clinics' ids are simply not found."""
    try:
        pk = uuid.UUID(str(object_id))
    except ValueError as exc:
        raise NotFound(f"no such {label}", field=field) from exc
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        if field:
            raise ValidationFailed(f"no such {label} in this clinic", field=field)
        raise NotFound(f"no such {label}")
    return obj
