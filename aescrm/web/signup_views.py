"""Sign-up, the emailed confirmation link, and the onboarding page (docs/decisions/0030)."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from aescrm.accounts.clinic_details import UK_TIMEZONES, all_timezones, clinic_details_update
from aescrm.accounts.middleware import SESSION_CLINIC_KEY, client_ip
from aescrm.accounts.onboarding import checklist
from aescrm.accounts.permissions import Perm
from aescrm.accounts.signup import SignupInput, signup_pending, signup_request, signup_verify
from aescrm.core.problems import DomainError
from aescrm.public import ratelimit
from aescrm.public.views import RateLimited, check_rates
from aescrm.web.access import member_required
from aescrm.web.forms import ClinicDetailsForm, SignupForm
from aescrm.web.helpers import caller_of, clinic_of

TIMEZONE_CHOICES = [
    ("United Kingdom and nearby", [(tz, tz.replace("_", " ")) for tz in UK_TIMEZONES]),
    (
        "Everywhere else",
        [(tz, tz.replace("_", " ")) for tz in all_timezones() if tz not in UK_TIMEZONES],
    ),
]


def _email_bucket(email: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"signup-email|{email}".encode(), hashlib.sha256
    ).hexdigest()
    return f"signup-email:{digest[:40]}"


def _check_signup_rates(request: HttpRequest, email: str) -> None:
    check_rates(
        (
            (
                "signup-" + ratelimit.ip_bucket(client_ip(request)),
                settings.SIGNUP_RATE_PER_IP_PER_MINUTE,
                "your network",
            ),
            # However many networks ask, one inbox gets few of our emails.
            (_email_bucket(email), settings.SIGNUP_RATE_PER_EMAIL_PER_MINUTE, "this address"),
        ),
        "sign-ups",
    )


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["website"]:
            # A bot filled the hidden field: answer as if all went well, do nothing.
            return redirect("web:signup_sent")
        email = form.cleaned_data["email"].strip().lower()
        try:
            _check_signup_rates(request, email)
            signup_request(
                SignupInput(
                    email=email,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password"],
                    clinic_name=form.cleaned_data["clinic_name"],
                )
            )
        except RateLimited as exc:
            form.add_error(None, exc.detail[:1].upper() + exc.detail[1:] + ".")
            response = render(request, "web/signup.html", {"form": form}, status=429)
            response["Retry-After"] = str(exc.extra["retry_after"])
            return response
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            request.session["signup_email"] = email
            return redirect("web:signup_sent")
    return render(request, "web/signup.html", {"form": form}, status=400 if form.errors else 200)


def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "web/signup_sent.html", {"email": request.session.get("signup_email")})


@require_http_methods(["GET", "POST"])
def signup_verify_view(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; POST uses the link. Mail scanners that open links (GET) must
    not use up a single-use link before the person clicks it."""
    try:
        pending = signup_pending(token)
        if request.method == "POST":
            user, clinic = signup_verify(token)
            user.backend = "aescrm.accounts.backends.EmailBackend"  # type: ignore[attr-defined]
            login(request, user)
            request.session[SESSION_CLINIC_KEY] = str(clinic.pk)
            # Owners set up two-factor authentication first (access.member_required).
            return redirect("web:onboarding")
    except DomainError as exc:
        return render(
            request,
            "web/signup_link.html",
            {"problem": exc, "expired": exc.status == 410},
            status=exc.status,
        )
    return render(request, "web/signup_confirm.html", {"pending": pending})


def _details_form(request: HttpRequest, may_edit: bool) -> ClinicDetailsForm:
    clinic = clinic_of(request)
    initial = {
        "name": clinic.name,
        "timezone": clinic.timezone,
        "website_domains": "\n".join(clinic.website_domains or []),
    }
    data = request.POST if request.method == "POST" and may_edit else None
    form = ClinicDetailsForm(data, initial=initial, timezones=TIMEZONE_CHOICES)
    if not may_edit:
        for field in form.fields.values():
            field.disabled = True
    return form


@member_required(Perm.SETTINGS_MANAGE, Perm.MEMBERS_MANAGE)
@require_http_methods(["GET", "POST"])
def onboarding(request: HttpRequest) -> HttpResponse:
    """Step 1, the clinic's details (owners change them), then the live checklist."""
    caller = caller_of(request)
    clinic = clinic_of(request)
    may_edit = caller.can(Perm.SETTINGS_MANAGE)
    if request.method == "POST" and not may_edit:
        return render(
            request,
            "web/error.html",
            {"message": "Only the clinic's owner can change its details."},
            status=403,
        )
    form = _details_form(request, may_edit)
    if request.method == "POST" and form.is_valid():
        try:
            changed = clinic_details_update(
                caller=caller,
                clinic=clinic,
                name=form.cleaned_data["name"],
                timezone_name=form.cleaned_data["timezone"],
                domains=form.cleaned_data["website_domains"].splitlines(),
            )
        except DomainError as exc:
            form.add_domain_error(exc, aliases={"name": "name"})
        else:
            messages.success(
                request, "Clinic details saved." if changed else "Nothing has changed."
            )
            return redirect("web:onboarding")
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    return render(
        request,
        "web/onboarding.html",
        {
            "form": form,
            "may_edit": may_edit,
            "clinic": clinic,
            "checklist": checklist(clinic),
            "widget_url": f"{base}/widget.js",
        },
        status=400 if form.errors else 200,
    )
