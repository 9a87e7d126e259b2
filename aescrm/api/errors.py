"""Turn every failure into RFC 7807 problem details that name the field."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from aescrm.core.problems import DomainError, domain_error_response, problem_response
from aescrm.core.tenancy import NoClinicScope

logger = logging.getLogger(__name__)


def _field_name(loc: Any) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "header", "form")]
    return ".".join(parts) or "body"


def _message(error: dict[str, Any]) -> str:
    msg = str(error.get("msg", "is invalid"))
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    return msg


def install(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        response = domain_error_response(exc)
        if "retry_after" in exc.extra:
            response["Retry-After"] = str(exc.extra["retry_after"])
        return response

    @api.exception_handler(NinjaValidationError)
    def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [
            {"field": _field_name(e.get("loc", ())), "message": _message(e)} for e in exc.errors
        ]
        first = errors[0] if errors else {"field": "body", "message": "is invalid"}
        return problem_response(
            status=422,
            title="Invalid input",
            type_slug="invalid-input",
            detail=f"{first['field']}: {first['message']}",
            errors=errors,
        )

    @api.exception_handler(AuthenticationError)
    def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return problem_response(
            status=401,
            title="Unauthorised",
            type_slug="unauthorised",
            detail="send a valid API key as 'Authorization: Bearer <key>'",
            headers={"WWW-Authenticate": "Bearer"},
        )

    @api.exception_handler(Http404)
    def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem_response(
            status=404, title="Not found", type_slug="not-found", detail="not found"
        )

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # django-ninja raises these for a request it cannot read at all (an
        # unparseable body): the body is the field at fault.
        errors = [{"field": "body", "message": str(exc.message)}] if exc.status_code < 500 else None
        return problem_response(
            status=exc.status_code,
            title="Request failed",
            type_slug="http-error",
            detail=str(exc.message),
            errors=errors,
        )

    @api.exception_handler(RequestDataTooBig)
    def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        message = "the request body is larger than the server accepts"
        return problem_response(
            status=413,
            title="Payload too large",
            type_slug="payload-too-large",
            detail=message,
            errors=[{"field": "body", "message": message}],
        )

    @api.exception_handler(NoClinicScope)
    def on_no_scope(request: HttpRequest, exc: NoClinicScope) -> HttpResponse:
        logger.error("API request reached tenant data without a clinic scope: %s", request.path)
        return problem_response(
            status=500, title="Server error", type_slug="server-error", detail="server error"
        )

    @api.exception_handler(Exception)
    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("unhandled API error on %s", request.path)
        return problem_response(
            status=500,
            title="Server error",
            type_slug="server-error",
            detail="something went wrong on our side; the request id is in X-Request-ID",
        )
