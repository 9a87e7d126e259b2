"""While payment is overdue (grace) or the account is read-only, every staff page says so."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from aescrm.billing.models import Status, Subscription
from aescrm.billing.services import trial_start
from aescrm.billing.tests.support import visible
from aescrm.web.tests.support import member_client

pytestmark = pytest.mark.django_db

PAGES = ["/", "/patients/", "/calendar/", "/settings/billing"]


def _set(clinic_a: Any, **fields: Any) -> None:
    trial_start(clinic=clinic_a.clinic)
    Subscription.objects.filter(clinic=clinic_a.clinic).update(**fields)


def test_an_overdue_payment_shows_the_grace_banner_everywhere(clinic_a: Any) -> None:
    _set(clinic_a, status=Status.PAST_DUE, payment_overdue_since=timezone.now())
    owner = member_client(clinic_a, "owner")

    for page in PAGES:
        shown = visible(owner.get(page))
        assert "A payment is overdue. Everything keeps working until" in shown, page
        assert "Go to billing" in shown, page
    receptionist_page = visible(member_client(clinic_a, "receptionist").get("/"))
    assert "A payment is overdue" in receptionist_page
    assert "Go to billing" not in receptionist_page  # it is not theirs to sort out


def test_a_cancelled_account_shows_the_read_only_banner(clinic_a: Any) -> None:
    _set(clinic_a, status=Status.CANCELED, ended_at=timezone.now() - dt.timedelta(days=1))

    shown = visible(member_client(clinic_a, "manager").get("/patients/"))

    assert "subscription has ended: you can read and export your data" in shown


def test_no_banner_while_all_is_well(clinic_a: Any, clinic_b: Any) -> None:
    _set(clinic_a, status=Status.ACTIVE)
    trial_start(clinic=clinic_b.clinic)
    Subscription.objects.filter(clinic=clinic_b.clinic).update(status=Status.CANCELED)

    shown = visible(member_client(clinic_a, "owner").get("/"))

    assert "data-account-state" not in member_client(clinic_a, "owner").get("/").content.decode()
    assert "subscription has ended" not in shown
