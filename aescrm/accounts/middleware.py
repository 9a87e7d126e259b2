"""Put every signed-in request inside its clinic's scope and audit context."""

from __future__ import annotations

import contextvars
import ipaddress
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden

from aescrm.accounts.caller import Caller
from aescrm.accounts.models import Membership
from aescrm.accounts.permissions import Role
from aescrm.accounts.services import membership_for, memberships_of
from aescrm.audit.context import Actor, acting_as, set_actor
from aescrm.core.tenancy import clinic_scope, reset_connection_scope

SESSION_CLINIC_KEY = "aescrm_clinic_id"
# A running support access grant the signed-in AES-CRM staff member opened (platform_privacy).
SESSION_SUPPORT_GRANT_KEY = "aescrm_support_grant"
# The only writes a support session may make: leaving it and signing out.
SUPPORT_WRITABLE_PATHS = frozenset({"/sign-out", "/platform/support/leave"})


def client_ip(request: HttpRequest) -> str | None:
    """The visitor's address, for audit entries and per-IP limits.

    Behind N reverse proxies of our own (``TRUSTED_PROXY_COUNT``), the
    address is the N-th entry from the right of X-Forwarded-For: each of our
    proxies appends the peer it saw, so entries further left are whatever
    the client chose to send and are never trusted. Without proxies it is
    the connection's own address.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    hops = settings.TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [part for part in chain if part]
    if len(chain) < hops:
        return remote
    candidate = chain[-hops]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def request_actor(request: HttpRequest) -> Actor:
    return Actor(
        type="anonymous",
        ip=client_ip(request),
        user_agent=request.headers.get("User-Agent", "")[:300],
        request_id=getattr(request, "request_id", ""),
    )


class ClinicScopeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        actor = request_actor(request)
        request.membership = None  # type: ignore[attr-defined]
        request.caller = None  # type: ignore[attr-defined]
        if request.path.startswith("/api/"):
            # API requests authenticate by key (aescrm.api.auth), which enters
            # the clinic scope inside this copied context: it ends with it.
            context = contextvars.copy_context()
            try:
                return context.run(self._run_api, request, actor)
            finally:
                reset_connection_scope()
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            with acting_as(actor):
                return self.get_response(request)
        actor = Actor(
            type="user",
            id=str(user.pk),
            label=user.email,
            ip=actor.ip,
            user_agent=actor.user_agent,
            request_id=actor.request_id,
        )
        request.support_grant = None  # type: ignore[attr-defined]
        if request.session.get(SESSION_SUPPORT_GRANT_KEY):
            response = self._run_support(request, user, actor)
            if response is not None:
                return response
        membership = membership_for(user, request.session.get(SESSION_CLINIC_KEY))
        if membership is None:
            memberships = memberships_of(user)
            membership = memberships[0] if memberships else None
            if membership is not None:
                request.session[SESSION_CLINIC_KEY] = str(membership.clinic_id)
        if membership is None:
            with acting_as(actor):
                return self.get_response(request)
        request.membership = membership  # type: ignore[attr-defined]
        request.caller = Caller(  # type: ignore[attr-defined]
            clinic_id=membership.clinic_id, user_id=user.pk, role=membership.role
        )
        with acting_as(actor), clinic_scope(membership.clinic_id):
            return self.get_response(request)

    def _run_support(self, request: HttpRequest, user: Any, actor: Actor) -> HttpResponse | None:
        """Serve the request read-only inside the clinic of a running support grant; None
        (and the grant forgotten) once it has ended or was never this user's."""
        from aescrm.platform_privacy import support

        grant = support.active_grant(
            user=user,
            clinic_id=request.session.get(SESSION_CLINIC_KEY),
            grant_id=request.session[SESSION_SUPPORT_GRANT_KEY],
        )
        if grant is None:
            request.session.pop(SESSION_SUPPORT_GRANT_KEY, None)
            request.session.pop(SESSION_CLINIC_KEY, None)
            return None
        request.support_grant = grant  # type: ignore[attr-defined]
        # An unsaved membership so pages can name the clinic; the caller decides access.
        request.membership = Membership(  # type: ignore[attr-defined]
            user=user, clinic=grant.clinic, role=Role.AUDITOR
        )
        request.caller = support.support_caller(grant)  # type: ignore[attr-defined]
        with acting_as(actor), clinic_scope(grant.clinic_id):
            if request.method not in ("GET", "HEAD") and request.path not in (
                SUPPORT_WRITABLE_PATHS
            ):
                return HttpResponseForbidden("Support access is read-only.")
            support.record_view(grant, request.get_full_path())
            return self.get_response(request)

    def _run_api(self, request: HttpRequest, actor: Actor) -> HttpResponse:
        set_actor(actor)
        return self.get_response(request)
