"""Privacy → Suppression list: what is on it (never the addresses), check one, take one off."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from aescrm.accounts.permissions import Perm
from aescrm.audit.services import audit_record
from aescrm.core.problems import NotFound
from aescrm.erasure.models import AddressKind, Suppression
from aescrm.erasure.suppression import address_hash, lift
from aescrm.web.access import member_required
from aescrm.web.forms import AccessibleForm
from aescrm.web.helpers import caller_of


class CheckForm(AccessibleForm):
    address = forms.CharField(
        label="Email address or phone number",
        max_length=254,
        help_text="Checked against the keyed hashes: the list itself holds no addresses.",
    )

    def kind(self) -> str:
        return AddressKind.EMAIL if "@" in self.cleaned_data["address"] else AddressKind.PHONE


# Codes only: the audit log keeps why, and never free text that could name someone.
LIFT_REASONS = [
    ("asked_back", "The person asked to hear from the clinic again"),
    ("not_theirs", "The address now belongs to someone else"),
]


class LiftForm(AccessibleForm):
    reason = forms.ChoiceField(label="Why it comes off the list", choices=LIFT_REASONS)


@member_required(Perm.PRIVACY_VIEW)
@require_http_methods(["GET"])
def suppression_list(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    check = CheckForm(request.GET or None)
    found: Suppression | None = None
    checked = False
    if check.is_bound and check.is_valid():
        checked = True
        value = address_hash(check.kind(), check.cleaned_data["address"])
        found = Suppression.objects.filter(kind=check.kind(), value_hash=value).first()
        audit_record(
            "privacy.suppression.checked",
            object_type="suppression",
            object_id=found.pk if found else "",
            detail={"kind": check.kind(), "listed": found is not None},
        )
    entries = list(
        Suppression.objects.select_related("erasure", "created_by").order_by("-created_at")
    )
    return render(
        request,
        "erasure/suppressions.html",
        {
            "entries": entries,
            "check": check,
            "checked": checked,
            "found": found,
            "lift_form": LiftForm(),
            "can_manage": caller.can(Perm.PRIVACY_MANAGE),
        },
    )


@member_required(Perm.PRIVACY_MANAGE)
@require_POST
def suppression_lift(request: HttpRequest, suppression_id: Any) -> HttpResponse:
    entry = Suppression.objects.filter(pk=suppression_id).first()
    if entry is None:
        raise NotFound("no such entry on this clinic's suppression list")
    form = LiftForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose why the address comes off the list.")
        return redirect("erasure:suppressions")
    lift([entry], why=f"staff_{form.cleaned_data['reason']}")
    messages.success(
        request, f"The {entry.get_kind_display().lower()} is off the list: it may be contacted."
    )
    return redirect("erasure:suppressions")
