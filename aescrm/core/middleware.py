"""Request-wide plumbing: request ids and security headers."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse

from aescrm.core.problems import problem_response

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

# No inline scripts, nothing from another origin (no CDN), no framing.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        supplied = request.headers.get("X-Request-ID", "")
        request_id = supplied if _REQUEST_ID.match(supplied) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/api/v1/docs"):
            # Swagger UI (served from django-ninja's own static files) styles
            # elements inline; scripts stay 'self' only.
            policy = CONTENT_SECURITY_POLICY.replace(
                "style-src 'self'", "style-src 'self' 'unsafe-inline'"
            )
            response.setdefault("Content-Security-Policy", policy)
        else:
            response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


# Machine-facing paths: whatever goes wrong there, the answer is problem JSON.
# (/public/ answers a plain HTML form post with a page, so it shapes its own errors.)
JSON_PATH_PREFIXES = ("/api/",)


class JsonProblemsMiddleware:
    """Turn Django's HTML error pages (unknown path, wrong method, server error)
    into RFC 7807 problem details on the API."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path.startswith(JSON_PATH_PREFIXES)
            or "json" in response.get("Content-Type", "")
        ):
            return response
        status = response.status_code
        try:
            title = HTTPStatus(status).phrase
        except ValueError:
            title = "Error"
        detail = {
            404: f"there is no endpoint at {request.path}",
            405: f"{request.method} is not allowed here; allowed: {response.get('Allow', '')}",
        }.get(status, title.lower())
        problem = problem_response(
            status=status, title=title, type_slug=title.lower().replace(" ", "-"), detail=detail
        )
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response:
                problem[header] = response[header]
        return problem
