"""The one decorator every staff page uses: signed in, second factor, membership, permission."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from aescrm.accounts.permissions import Perm

View = Callable[..., HttpResponse]


def _two_factor_pending(request: HttpRequest) -> bool:
    from aescrm.web.auth_views import needs_two_factor

    verified = getattr(request.user, "is_verified", lambda: False)()
    return not verified and needs_two_factor(request.user)


def member_required(*perms: Perm) -> Callable[[View], View]:
    """Require a signed-in member of the current clinic holding any of ``perms``.

    A member whose role lacks the permission gets 403; objects of other
    clinics are never reachable because every query runs in this clinic's scope.
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
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
