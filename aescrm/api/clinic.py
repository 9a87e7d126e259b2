"""``GET /clinic``: the clinic the API key belongs to, with its plan and account state."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest
from ninja import Router, Schema

from aescrm.accounts.models import Clinic
from aescrm.api.common import ERRORS, caller_of
from aescrm.billing.models import Subscription
from aescrm.billing.state import state_of

router = Router(tags=["clinic"])


class ClinicOut(Schema):
    id: uuid.UUID
    name: str
    slug: str
    timezone: str
    website_domains: list[str]
    # The plan key (plans.toml); null for a clinic not billed online.
    plan: str | None
    # A Stripe subscription status, or "not_billed".
    subscription_status: str
    # What the account may do now: full, grace or read_only.
    account_mode: str
    trial_ends_at: dt.datetime | None
    current_period_end: dt.datetime | None


@router.get("/clinic", response={200: ClinicOut, **ERRORS})
def clinic_get(request: HttpRequest) -> dict[str, object]:
    """Any valid key may read its own clinic: no scope needed, and no other clinic is reachable."""
    clinic_id = caller_of(request).clinic_id
    clinic = Clinic.objects.get(pk=clinic_id)
    subscription = Subscription.objects.filter(clinic_id=clinic_id).first()
    state = state_of(subscription)
    return {
        "id": clinic.pk,
        "name": clinic.name,
        "slug": clinic.slug,
        "timezone": clinic.timezone,
        "website_domains": list(clinic.website_domains or []),
        "plan": subscription.plan if subscription else None,
        "subscription_status": state.status,
        "account_mode": state.mode.value,
        "trial_ends_at": subscription.trial_ends_at if subscription else None,
        "current_period_end": subscription.current_period_end if subscription else None,
    }
