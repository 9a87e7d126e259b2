"""Put every signed-in request inside its clinic's scope and audit context."""

from __future__ import annotations

import contextvars
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from aescrm.accounts.caller import Caller
from aescrm.accounts.services import membership_for, memberships_of
from aescrm.audit.context import Actor, acting_as, set_actor
from aescrm.core.tenancy import clinic_scope, reset_connection_scope

SESSION_CLINIC_KEY = "aescrm_clinic_id"


def client_ip(request: HttpRequest) -> str | None:
    # The TLS proxy in front sets REMOTE_ADDR via the WSGI server; X-Forwarded-For
    # is not trusted here because any client can send it.
    return request.META.get("REMOTE_ADDR") or None


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
        membership = membership_for(user, request.session.get(SESSION_CLINIC_KEY))
        if membership is None:
            memberships = memberships_of(user)
            membership = memberships[0] if memberships else None
            if membership is not None:
                request.session[SESSION_CLINIC_KEY] = str(membership.clinic_id)
        actor = Actor(
            type="user",
            id=str(user.pk),
            label=user.email,
            ip=actor.ip,
            user_agent=actor.user_agent,
            request_id=actor.request_id,
        )
        if membership is None:
            with acting_as(actor):
                return self.get_response(request)
        request.membership = membership  # type: ignore[attr-defined]
        request.caller = Caller(  # type: ignore[attr-defined]
            clinic_id=membership.clinic_id, user_id=user.pk, role=membership.role
        )
        with acting_as(actor), clinic_scope(membership.clinic_id):
            return self.get_response(request)

    def _run_api(self, request: HttpRequest, actor: Actor) -> HttpResponse:
        set_actor(actor)
        return self.get_response(request)
