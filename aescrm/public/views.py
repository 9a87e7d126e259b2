"""Public endpoints for clinics' websites: widget.js, the enquiry endpoint, a thank-you page.

Views only parse, call and render: the rules are in ``services``, ``cors``,
``payload``, ``spam`` and ``idempotency``.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.encoding import iri_to_uri
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_safe

from aescrm.accounts.middleware import client_ip
from aescrm.accounts.models import Clinic
from aescrm.core.problems import DomainError, NotFound, domain_error_response
from aescrm.public import cors, ratelimit
from aescrm.public.idempotency import Answer
from aescrm.public.payload import is_form, read_payload
from aescrm.public.seen import page_origin, widget_seen
from aescrm.public.services import Visitor, public_enquiry_receive

WIDGET_PATH = Path(__file__).parent / "static" / "public" / "widget.js"
WIDGET_MAX_AGE = 3600


class RateLimited(DomainError):
    status = 429
    title = "Too many requests"
    type_slug = "rate-limited"


class OriginNotAllowed(DomainError):
    status = 403
    title = "Forbidden"
    type_slug = "origin-not-allowed"


@cache
def _widget() -> tuple[bytes, bytes, str]:
    source = WIDGET_PATH.read_bytes()
    return source, gzip.compress(source, 9, mtime=0), hashlib.sha256(source).hexdigest()[:32]


@require_safe
def widget_js(request: HttpRequest) -> HttpResponse:
    if settings.DEBUG:
        _widget.cache_clear()  # pick up edits while developing
    source, zipped, digest = _widget()
    etag = f'"{digest}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        use_gzip = "gzip" in request.headers.get("Accept-Encoding", "").lower()
        response = HttpResponse(
            zipped if use_gzip else source, content_type="text/javascript; charset=utf-8"
        )
        if use_gzip:
            response["Content-Encoding"] = "gzip"
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={WIDGET_MAX_AGE}"
    response["Vary"] = "Accept-Encoding"
    # Loaded by the clinics' own sites, so it may be embedded cross-origin.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


_PUBLIC_KEY = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


def clinic_for_key(public_key: str) -> Clinic:
    clinic = (
        Clinic.objects.filter(public_key=public_key).first()
        if _PUBLIC_KEY.match(public_key)
        else None
    )
    if clinic is None:
        raise Http404("no clinic has this public key")
    return clinic


def _printable(value: str) -> str:
    return "".join(ch for ch in value[:300] if ch.isprintable())


def _wants_html(request: HttpRequest) -> bool:
    """A plain HTML form post: form-encoded and asking for a page, not JSON."""
    accept = request.headers.get("Accept", "")
    return is_form(request) and "text/html" in accept and "application/json" not in accept


def _back_link(request: HttpRequest) -> str:
    referer = request.headers.get("Referer", "")
    return referer if referer.startswith(("https://", "http://")) else ""


def _problem(request: HttpRequest, exc: DomainError, *, html: bool) -> HttpResponse:
    if html:
        response = render(
            request,
            "public/problem.html",
            {"problem": exc, "back": _back_link(request)},
            status=exc.status,
        )
    else:
        response = domain_error_response(exc)
    if "retry_after" in exc.extra:
        response["Retry-After"] = str(exc.extra["retry_after"])
    return response


def _render(answer: Answer) -> HttpResponse:
    response = HttpResponse(
        answer.body, status=answer.status, content_type=answer.content_type or None
    )
    if answer.location:
        # Headers are Latin-1 on the wire: an address with accents goes percent-encoded.
        response["Location"] = iri_to_uri(answer.location)
    response["Cache-Control"] = "no-store"
    return response


def check_rates(limits: tuple[tuple[str, int, str], ...], what: str) -> None:
    """Count one request in each (bucket, limit, who) window; 429 naming who went over."""
    for bucket, limit, who in limits:
        decision = ratelimit.hit(bucket, limit)
        if not decision.allowed:
            raise RateLimited(
                f"too many {what} from {who} in the last minute; "
                f"please try again in {decision.retry_after} seconds",
                retry_after=decision.retry_after,
            )


def _check_rates(request: HttpRequest, clinic: Clinic) -> None:
    check_rates(
        (
            (
                ratelimit.ip_bucket(client_ip(request)),
                settings.PUBLIC_RATE_PER_IP_PER_MINUTE,
                "you",
            ),
            (
                ratelimit.clinic_bucket(clinic.pk),
                settings.PUBLIC_RATE_PER_CLINIC_PER_MINUTE,
                "this clinic",
            ),
        ),
        "enquiries",
    )


@csrf_exempt
def enquiries(request: HttpRequest, public_key: str) -> HttpResponse:
    """``POST /public/v1/{public_key}/enquiries`` (and its CORS preflight)."""
    html = _wants_html(request)
    try:
        clinic = clinic_for_key(public_key)
    except Http404:
        return _problem(request, NotFound("no clinic has this public key"), html=html)
    origin = cors.request_origin(request)
    allowed = origin is not None and cors.origin_allowed(clinic, origin)
    if request.method == "OPTIONS":
        return cors.preflight_response(origin) if allowed and origin else HttpResponse(status=403)
    if request.method != "POST":
        response = HttpResponse(status=405)
        response["Allow"] = "POST, OPTIONS"
        return response
    try:
        if origin is not None and not allowed:
            raise OriginNotAllowed(
                "this website is not one of the clinic's domains", field="Origin"
            )
        _check_rates(request, clinic)
        answer = public_enquiry_receive(
            clinic=clinic,
            data=read_payload(request),
            visitor=Visitor(
                ip=client_ip(request),
                user_agent=_printable(request.headers.get("User-Agent", "")),
                request_id=getattr(request, "request_id", ""),
            ),
            html=html,
            idempotency_key=request.headers.get("Idempotency-Key"),
        )
        response = _render(answer)
    except DomainError as exc:
        response = _problem(request, exc, html=html)
    if allowed and origin:
        cors.add_cors_headers(response, origin)
    return response


@csrf_exempt
def seen(request: HttpRequest, public_key: str) -> HttpResponse:
    """``POST /public/v1/{public_key}/seen``: widget.js says it loaded on a page (no body).

    204 whether or not it counted, so a page learns nothing; 404 for an unknown key.
    """
    if request.method != "POST":
        response = HttpResponse(status=405)
        response["Allow"] = "POST"
        return response
    found = widget_seen(
        public_key,
        page_origin(cors.request_origin(request), request.headers.get("Referer", "")),
    )
    response = HttpResponse(status=404 if found is None else 204)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def thank_you(request: HttpRequest, public_key: str) -> HttpResponse:
    return render(request, "public/thank_you.html", {"clinic": clinic_for_key(public_key)})
