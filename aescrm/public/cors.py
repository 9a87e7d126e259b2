"""Which browser origins may call a clinic's public endpoint: its own website only."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse

from aescrm.accounts.models import Clinic

LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]", "::1")
ALLOWED_HEADERS = "Content-Type, Accept, Idempotency-Key"
PREFLIGHT_MAX_AGE = "600"


def _domain_entry(entry: object) -> tuple[str, str | None]:
    """A ``website_domains`` entry as (host, port or None); scheme and path are ignored."""
    text = str(entry).strip().lower()
    if "//" not in text:
        text = "//" + text
    try:
        parts = urlsplit(text)
        port = str(parts.port) if parts.port else None
    except ValueError:
        return "", None
    return (parts.hostname or "").rstrip("."), port


def origin_allowed(clinic: Clinic, origin: str) -> bool:
    """True for an https origin on one of the clinic's domains (or its ``www.``).

    Plain http is accepted only for localhost, for a clinic trying the widget
    on a development copy of its site. ``null`` and malformed origins never are.
    """
    try:
        parts = urlsplit(origin.strip())
        host = (parts.hostname or "").lower().rstrip(".")
        port = str(parts.port) if parts.port else None
    except ValueError:
        return False
    if not host or parts.path or parts.query:
        return False
    if parts.scheme != "https" and not (parts.scheme == "http" and host in LOCAL_HOSTS):
        return False
    for entry in clinic.website_domains or []:
        domain, domain_port = _domain_entry(entry)
        if not domain or (domain_port is not None and domain_port != port):
            continue
        if host == domain or host == "www." + domain.removeprefix("www."):
            return True
        if domain.startswith("www.") and host == domain.removeprefix("www."):
            return True
    return False


def add_cors_headers(response: HttpResponse, origin: str) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = origin
    response["Access-Control-Expose-Headers"] = "Retry-After, X-Request-ID"
    _vary_origin(response)
    return response


def preflight_response(origin: str) -> HttpResponse:
    response = HttpResponse(status=204)
    add_cors_headers(response, origin)
    response["Access-Control-Allow-Methods"] = "POST, OPTIONS"
    response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
    response["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
    return response


def _vary_origin(response: HttpResponse) -> None:
    vary = [v.strip() for v in response.get("Vary", "").split(",") if v.strip()]
    if "Origin" not in vary:
        response["Vary"] = ", ".join([*vary, "Origin"])


def request_origin(request: HttpRequest) -> str | None:
    """The Origin header, or None when the client sent none (not a browser's cross-site call)."""
    origin = request.headers.get("Origin")
    return origin if origin is not None else None
