"""Settings → Billing: the clinic's plan and state, plans to choose from, invoices.

Owners and managers see the page (``BILLING_VIEW``); owners choose a plan
(Stripe Checkout) and open Stripe's billing portal (``BILLING_MANAGE``).
Everything is read for the signed-in member's own clinic, so another clinic's
invoice is a 404.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from aescrm.accounts.permissions import Perm
from aescrm.billing import selectors, services, stripe_api
from aescrm.core.problems import DomainError
from aescrm.web.access import member_required
from aescrm.web.helpers import caller_of


def _see_other(url: str) -> HttpResponse:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


@member_required(Perm.BILLING_VIEW)
def billing_settings(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    return render(
        request,
        "billing/settings.html",
        {
            "billing": selectors.overview(caller.clinic_id),
            "can_manage": caller.can(Perm.BILLING_MANAGE),
            "online": stripe_api.configured(),
            "can_subscribe": not services.has_live_subscription(caller.clinic_id),
            "checkout": request.GET.get("checkout", ""),
        },
    )


@require_POST
@member_required(Perm.BILLING_MANAGE)
def subscribe(request: HttpRequest) -> HttpResponse:
    try:
        url = services.checkout_start(
            caller=caller_of(request),
            plan_key=request.POST.get("plan", ""),
            email=request.user.email,  # type: ignore[union-attr]
        )
    except DomainError as exc:
        messages.error(request, f"Could not start the payment: {exc.detail}.")
        return redirect("billing:settings")
    return _see_other(url)


@require_POST
@member_required(Perm.BILLING_MANAGE)
def portal(request: HttpRequest) -> HttpResponse:
    try:
        url = services.portal_open(caller=caller_of(request))
    except DomainError as exc:
        messages.error(request, f"Could not open the billing portal: {exc.detail}.")
        return redirect("billing:settings")
    return _see_other(url)


@member_required(Perm.BILLING_VIEW)
def invoice_open(request: HttpRequest, invoice_id: uuid.UUID) -> HttpResponse:
    invoice = selectors.invoice_in_clinic(caller_of(request).clinic_id, invoice_id)
    if not invoice.hosted_invoice_url:
        messages.error(request, "Stripe has not published that invoice yet.")
        return redirect("billing:settings")
    return redirect(invoice.hosted_invoice_url)
