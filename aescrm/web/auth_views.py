"""Sign-in with throttling and TOTP two-factor authentication.

1. Email and password (Argon2). Failures are counted per account; past the
   limit the account is locked for the rest of the window (NCSC: throttle,
   don't force resets).
2. If the user has a confirmed TOTP device, or must have one (owners and
   managers), they verify a code (or set one up) before any clinic page opens.
"""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from aescrm.accounts import services
from aescrm.accounts.backends import EmailBackend
from aescrm.accounts.middleware import SESSION_CLINIC_KEY
from aescrm.accounts.permissions import TWO_FACTOR_REQUIRED
from aescrm.analytics.services import record as record_usage
from aescrm.audit.services import audit_record
from aescrm.web.forms import SignInForm, TokenForm


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("web:dashboard")


def needs_two_factor(user: object) -> bool:
    # AES-CRM staff reach the platform pages (every clinic's record of processing,
    # support access): a second factor always, like clinic owners and managers.
    if getattr(user, "is_staff", False):
        return True
    memberships = services.memberships_of(user)  # type: ignore[arg-type]
    return any(m.role in TWO_FACTOR_REQUIRED for m in memberships) or any(
        True for _ in devices_for_user(user, confirmed=True)
    )


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        if services.login_is_locked(email):
            audit_record(
                "auth.login.locked",
                object_type="user",
                detail={"reason": "too many failures"},
                platform=True,
            )
            error = (
                "Too many failed attempts. This account is locked for 15 minutes; try again later."
            )
        else:
            user = EmailBackend().authenticate(
                request, email=email, password=form.cleaned_data["password"]
            )
            if user is None:
                services.login_failed(email)
                audit_record("auth.login.failure", object_type="user", platform=True)
                error = "That email and password do not match an account."
            else:
                services.login_succeeded(email)
                user.backend = "aescrm.accounts.backends.EmailBackend"  # type: ignore[attr-defined]
                login(request, user)
                memberships = services.memberships_of(user)
                if memberships:
                    request.session[SESSION_CLINIC_KEY] = str(memberships[0].clinic_id)
                    record_usage("sign_in", memberships[0].clinic_id, user)
                audit_record(
                    "auth.login.success",
                    object_type="user",
                    object_id=user.pk,
                    platform=True,
                    detail={"actor": user.email},
                )
                if needs_two_factor(user):
                    return redirect(f"{reverse('web:two_factor')}?next={_safe_next(request)}")
                return redirect(_safe_next(request))
    status = 400 if error else 200
    return render(
        request,
        "web/sign_in.html",
        {"form": form, "error": error, "next": _safe_next(request)},
        status=status,
    )


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Verify a TOTP code; set up a device first if the user has none."""
    user = request.user
    confirmed = list(devices_for_user(user, confirmed=True))
    setting_up = not confirmed
    device: TOTPDevice
    if setting_up:
        device = TOTPDevice.objects.filter(
            user=user, confirmed=False
        ).first() or TOTPDevice.objects.create(
            user=user,
            name="Authenticator app",
            confirmed=False,
        )
    form = TokenForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        candidates = [device] if setting_up else confirmed
        for candidate in candidates:
            if candidate.verify_token(token):
                if setting_up:
                    candidate.confirmed = True
                    candidate.save(update_fields=["confirmed"])
                    audit_record(
                        "auth.2fa.enrolled", object_type="user", object_id=user.pk, platform=True
                    )
                otp_login(request, candidate)
                audit_record(
                    "auth.2fa.verified", object_type="user", object_id=user.pk, platform=True
                )
                return redirect(_safe_next(request))
        services.login_failed(user.email)  # type: ignore[union-attr]
        audit_record("auth.2fa.failure", object_type="user", object_id=user.pk, platform=True)
        error = "That code is not right. Check your device's clock and try the newest code."
    context = {"form": form, "error": error, "setting_up": setting_up, "next": _safe_next(request)}
    if setting_up:
        context["qr"] = _qr_svg(device.config_url)
        context["secret"] = base64.b32encode(device.bin_key).decode()
    return render(request, "web/two_factor.html", context, status=400 if error else 200)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit_record("auth.logout", object_type="user", object_id=request.user.pk, platform=True)
    logout(request)
    return redirect("web:login")


@login_required
@require_POST
def switch_clinic(request: HttpRequest) -> HttpResponse:
    membership = services.membership_for(request.user, request.POST.get("clinic"))  # type: ignore[arg-type]
    if membership is None:
        return render(
            request,
            "web/error.html",
            {"message": "You are not a member of that clinic."},
            status=404,
        )
    request.session[SESSION_CLINIC_KEY] = str(membership.clinic_id)
    audit_record(
        "auth.clinic_switch",
        object_type="clinic",
        object_id=membership.clinic_id,
        clinic_id=membership.clinic_id,
    )
    return redirect("web:dashboard")
