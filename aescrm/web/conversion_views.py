"""Conversions: what went to Google Ads and Meta (and why not), and the platform settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from aescrm.accounts.permissions import Perm
from aescrm.attribution.models import ConversionKind
from aescrm.conversions import selectors, services
from aescrm.conversions.models import KINDS, META_EVENT_NAMES, UploadStatus
from aescrm.core.problems import DomainError
from aescrm.web.access import member_required
from aescrm.web.forms import AccessibleForm
from aescrm.web.helpers import caller_of, clinic_of

SECRET_HELP = "Stored encrypted and never shown again. Leave blank to keep the current one."


def _secret_field(label: str) -> forms.CharField:
    """A stored secret: never shown again, left blank to keep it."""
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=SECRET_HELP,
    )


class ConversionSettingsForm(AccessibleForm):
    google_enabled = forms.BooleanField(label="Upload conversions to Google Ads", required=False)
    google_customer_id = forms.CharField(
        label="Google Ads customer id",
        required=False,
        max_length=12,
        help_text="10 digits, as shown in Google Ads, e.g. 123-456-7890.",
    )
    google_login_customer_id = forms.CharField(
        label="Manager (login) customer id",
        required=False,
        max_length=12,
        help_text="Only if you reach the account through a manager account.",
    )
    google_developer_token = _secret_field("Developer token")
    google_client_id = forms.CharField(label="OAuth client id", required=False, max_length=255)
    google_client_secret = _secret_field("OAuth client secret")
    google_refresh_token = _secret_field("OAuth refresh token")
    feed_username = forms.CharField(
        label="Scheduled upload username",
        required=False,
        max_length=100,
        help_text="For Google Ads scheduled uploads from this clinic's import file URL.",
    )
    feed_password = forms.CharField(
        label="Scheduled upload password",
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="At least 16 characters. Stored only as a hash; leave blank to keep it.",
    )
    meta_enabled = forms.BooleanField(label="Send conversions to Meta", required=False)
    meta_pixel_id = forms.CharField(label="Meta pixel (dataset) id", required=False, max_length=32)
    meta_access_token = _secret_field("Conversions API access token")
    meta_test_event_code = forms.CharField(
        label="Test event code",
        required=False,
        max_length=64,
        help_text="While set, Meta shows the events in Test events only.",
    )
    meta_kinds = forms.MultipleChoiceField(
        label="Send to Meta",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (kind, f"{ConversionKind(kind).label} as {META_EVENT_NAMES[ConversionKind(kind)]}")
            for kind in KINDS
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in KINDS:
            label = ConversionKind(kind).label.lower()
            self.fields[f"google_action_{kind}_id"] = forms.CharField(
                label=f"Conversion action id for {label}", required=False, max_length=20
            )
            self.fields[f"google_action_{kind}_name"] = forms.CharField(
                label=f"Conversion name for {label}",
                required=False,
                max_length=100,
                help_text="As named in Google Ads: used in the import file.",
            )


def _initial(row: Any) -> dict[str, Any]:
    if row is None:
        return {"meta_kinds": ["lead", "booked", "attended"]}
    data: dict[str, Any] = {
        name: getattr(row, name)
        for name in (
            "google_enabled",
            "google_customer_id",
            "google_login_customer_id",
            "google_client_id",
            "feed_username",
            "meta_enabled",
            "meta_pixel_id",
            "meta_test_event_code",
        )
    }
    data["meta_kinds"] = [kind for kind in KINDS if row.meta_sends(kind)]
    for kind in KINDS:
        data[f"google_action_{kind}_id"] = row.google_action_id(kind)
        data[f"google_action_{kind}_name"] = row.google_action_name(kind)
    return data


@member_required(Perm.CONVERSIONS_VIEW)
def conversion_list(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    status = request.GET.get("status") or None
    if status not in (None, *UploadStatus.values):
        status = None
    uploads = selectors.uploads_page(caller=caller, status=status)
    clinic = clinic_of(request)
    return render(
        request,
        "web/conversions/list.html",
        {
            "uploads": uploads,
            "status": status,
            "statuses": UploadStatus.choices,
            "counts": selectors.upload_counts(caller=caller),
            "can_manage": caller.can(Perm.CONVERSIONS_MANAGE),
            "feed_url": request.build_absolute_uri(
                reverse("conversions-google-feed", args=[clinic.public_key])
            ),
        },
    )


@member_required(Perm.CONVERSIONS_MANAGE)
@require_http_methods(["GET", "POST"])
def conversion_settings(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    row = services.settings_of_clinic()
    form = ConversionSettingsForm(request.POST or None, initial=_initial(row))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.settings_update(
                caller=caller,
                data=services.SettingsInput(
                    google_enabled=data["google_enabled"],
                    google_customer_id=data["google_customer_id"],
                    google_login_customer_id=data["google_login_customer_id"],
                    google_developer_token=data["google_developer_token"] or None,
                    google_client_id=data["google_client_id"],
                    google_client_secret=data["google_client_secret"] or None,
                    google_refresh_token=data["google_refresh_token"] or None,
                    google_actions={
                        kind: (
                            data[f"google_action_{kind}_id"],
                            data[f"google_action_{kind}_name"],
                        )
                        for kind in KINDS
                    },
                    feed_username=data["feed_username"],
                    feed_password=data["feed_password"] or None,
                    meta_enabled=data["meta_enabled"],
                    meta_pixel_id=data["meta_pixel_id"],
                    meta_access_token=data["meta_access_token"] or None,
                    meta_test_event_code=data["meta_test_event_code"],
                    meta_kinds=tuple(data["meta_kinds"]),
                ),
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "Conversion settings saved.")
            return redirect("web:conversion_settings")
    return render(
        request,
        "web/conversions/settings.html",
        {
            "form": form,
            "row": row,
            "kinds": [
                (
                    ConversionKind(kind).label,
                    form[f"google_action_{kind}_id"],
                    form[f"google_action_{kind}_name"],
                )
                for kind in KINDS
            ],
        },
        status=400 if form.errors else 200,
    )


@member_required(Perm.CONVERSIONS_MANAGE)
@require_POST
def conversion_retry(request: HttpRequest, upload_id: Any) -> HttpResponse:
    try:
        services.upload_retry(caller=caller_of(request), upload_id=upload_id)
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.detail[:1].upper() + exc.detail[1:] + ".")
    else:
        messages.success(request, "The upload will be tried again shortly.")
    return redirect("web:conversions")
