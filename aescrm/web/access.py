"""The one decorator every staff page uses: signed in, second factor, membership, permission."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from aescrm.accounts.permissions import Perm
from aescrm.core.problems import NotFound, PermissionDenied

View = Callable[..., HttpResponse]


def _two_factor_pending(request: HttpRequest) -> bool:
    from aescrm.web.auth_views import needs_two_factor

    verified = getattr(request.user, "is_verified", lambda: False)()
    return not verified and needs_two_factor(request.user)


def staff_required(view: View) -> View:
    """AES-CRM Ltd's own staff (the platform pages): signed in, ``is_staff``, second factor
    done. Anyone else gets 404: the pages' existence is not advertised."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect(f"{reverse('web:login')}?next={request.get_full_path()}")
        if not request.user.is_staff:
            raise Http404
        if _two_factor_pending(request):
            return redirect(f"{reverse('web:two_factor')}?next={request.get_full_path()}")
        return view(request, *args, **kwargs)

    return wrapper


def member_required(*perms: Perm) -> Callable[[View], View]:
    """Require a signed-in member of the current clinic holding any of ``perms``.

    A member whose role lacks the permission gets 403; objects of other
    clinics are never reachable because every query runs in this clinic's scope.
    A selector's ``NotFound`` becomes a 404 page and a service's
    ``PermissionDenied`` a 403 page. Dates and times render in the clinic's
    time zone.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect(f"{reverse('web:login')}?next={request.get_full_path()}")
            if _two_factor_pending(request):
                return redirect(f"{reverse('web:two_factor')}?next={request.get_full_path()}")
            caller = getattr(request, "caller", None)
            if caller is None:
                return render(
                    request,
                    "web/error.html",
                    {"message": "Your account is not a member of any clinic."},
                    status=403,
                )
            if perms and not any(caller.can(p) for p in perms):
                return render(
                    request,
                    "web/error.html",
                    {"message": "Your role does not give access to this page."},
                    status=403,
                )
            membership = getattr(request, "membership", None)
            if membership is not None:
                timezone.activate(membership.clinic.tz)
            try:
                return view(request, *args, **kwargs)
            except NotFound:
                return render(
                    request,
                    "web/error.html",
                    {
                        "title": "Page not found",
                        "message": "That page does not exist, or you do not have access to it.",
                    },
                    status=404,
                )
            except PermissionDenied:
                return render(
                    request,
                    "web/error.html",
                    {"message": "Your role does not allow this."},
                    status=403,
                )
            finally:
                timezone.deactivate()

        return wrapper

    return decorator
