"""RFC 7807 problem details: one error body shape for the whole API."""

from __future__ import annotations

from typing import Any

from django.http import JsonResponse


class DomainError(Exception):
    """A business rule refused the request. Services raise these; the API renders them."""

    status = 400
    title = "Bad request"
    type_slug = "bad-request"

    def __init__(self, detail: str, *, field: str | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        self.extra = extra


class ValidationFailed(DomainError):
    status = 422
    title = "Invalid input"
    type_slug = "invalid-input"


class NotFound(DomainError):
    status = 404
    title = "Not found"
    type_slug = "not-found"


class Conflict(DomainError):
    status = 409
    title = "Conflict"
    type_slug = "conflict"


class PermissionDenied(DomainError):
    status = 403
    title = "Forbidden"
    type_slug = "forbidden"


def problem_response(
    *,
    status: int,
    title: str,
    detail: str,
    type_slug: str,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JsonResponse:
    body: dict[str, Any] = {
        "type": f"https://aescrm.example/problems/{type_slug}",
        "title": title,
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    body.update(extra)
    response = JsonResponse(body, status=status, content_type="application/problem+json")
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def domain_error_response(exc: DomainError) -> JsonResponse:
    errors = [{"field": exc.field, "message": exc.detail}] if exc.field else None
    return problem_response(
        status=exc.status,
        title=exc.title,
        detail=exc.detail,
        type_slug=exc.type_slug,
        errors=errors,
        **exc.extra,
    )
