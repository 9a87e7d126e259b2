"""GET /api/v1/clinic: the key's own clinic with its plan and account state, never another's."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aescrm.api.tests.helpers import utc_json
from aescrm.billing.models import Status, Subscription
from aescrm.billing.services import trial_start
from aescrm.testing.fixtures import ApiClient

pytestmark = pytest.mark.django_db

PERIOD_END = dt.datetime(2026, 12, 28, 9, 0, tzinfo=dt.UTC)


def test_a_key_sees_its_own_clinic_with_plan_and_state(clinic_a: Any, clinic_b: Any) -> None:
    trial_start(clinic=clinic_a.clinic, plan_key="starter")
    Subscription.objects.filter(clinic=clinic_a.clinic).update(
        status=Status.ACTIVE, current_period_end=PERIOD_END
    )
    subscription = Subscription.objects.get(clinic=clinic_a.clinic)

    a = clinic_a.api().get("/api/v1/clinic")
    b = clinic_b.api().get("/api/v1/clinic")

    assert a.status_code == 200, a.content
    assert a.json() == {
        "id": str(clinic_a.clinic.pk),
        "name": "Alpha Dental",
        "slug": "alpha",
        "timezone": "Europe/London",
        "website_domains": ["alpha.example"],
        "plan": "starter",
        "subscription_status": "active",
        "account_mode": "full",
        "trial_ends_at": utc_json(subscription.trial_ends_at),  # type: ignore[arg-type]
        "current_period_end": utc_json(PERIOD_END),
    }
    assert b.status_code == 200
    assert b.json()["id"] == str(clinic_b.clinic.pk)
    assert b.json()["name"] == "Bravo Aesthetics"
    assert (b.json()["plan"], b.json()["subscription_status"], b.json()["account_mode"]) == (
        None,
        "not_billed",
        "full",
    )


def test_a_cancelled_clinic_reads_as_read_only(clinic_a: Any) -> None:
    trial_start(clinic=clinic_a.clinic)
    Subscription.objects.filter(clinic=clinic_a.clinic).update(status=Status.CANCELED)

    body = clinic_a.api().get("/api/v1/clinic").json()

    assert (body["subscription_status"], body["account_mode"]) == ("canceled", "read_only")


def test_no_key_gets_401() -> None:
    assert ApiClient("").get("/api/v1/clinic").status_code == 401
