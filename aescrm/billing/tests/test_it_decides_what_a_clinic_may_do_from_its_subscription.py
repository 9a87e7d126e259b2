from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from aescrm.billing.models import Status, Subscription
from aescrm.billing.services import trial_start
from aescrm.billing.state import Mode, account_state, state_of
from aescrm.testing.fixtures import ClinicWorld

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


def _sub(status: Status, **fields: object) -> Subscription:
    return Subscription(plan="growth", status=status, **fields)


def test_a_clinic_billed_by_hand_has_full_service(clinic_a: ClinicWorld) -> None:
    state = account_state(clinic_a.clinic.pk)
    assert state.mode is Mode.FULL and state.can_send and state.message is None


@pytest.mark.parametrize("status", [Status.TRIALING, Status.ACTIVE])
def test_trialing_and_active_have_full_service(status: Status) -> None:
    state = state_of(_sub(status, trial_ends_at=NOW + dt.timedelta(days=3)), now=NOW)
    assert state.mode is Mode.FULL and state.can_send and state.can_change


@override_settings(BILLING_GRACE_DAYS=14)
@pytest.mark.parametrize("status", [Status.PAST_DUE, Status.UNPAID, Status.INCOMPLETE])
def test_an_overdue_payment_keeps_service_with_a_banner_until_grace_ends(status: Status) -> None:
    overdue = _sub(status, payment_overdue_since=NOW - dt.timedelta(days=13, hours=23))
    state = state_of(overdue, now=NOW)
    assert state.mode is Mode.GRACE and state.can_send
    assert state.grace_ends_at == NOW + dt.timedelta(hours=1)
    assert "payment is overdue" in (state.message or "")
    assert "1 December 2026" in (state.message or "")

    later = state_of(overdue, now=NOW + dt.timedelta(hours=1))
    assert later.mode is Mode.READ_ONLY and not later.can_send and not later.can_change
    assert "grace period ended on 1 December 2026" in (later.message or "")


@pytest.mark.parametrize("status", [Status.CANCELED, Status.INCOMPLETE_EXPIRED, Status.PAUSED])
def test_an_ended_subscription_is_read_only(status: Status) -> None:
    state = state_of(_sub(status), now=NOW)
    assert state.mode is Mode.READ_ONLY and not state.can_send
    assert "read and export" in (state.message or "")


@override_settings(BILLING_GRACE_DAYS=7)
def test_a_trial_that_ended_unpaid_gets_the_grace_period_then_read_only() -> None:
    ended = _sub(Status.TRIALING, trial_ends_at=NOW - dt.timedelta(days=1))
    state = state_of(ended, now=NOW)
    assert state.mode is Mode.GRACE
    assert "free trial ended on 30 November 2026" in (state.message or "")
    assert state_of(ended, now=NOW + dt.timedelta(days=6)).mode is Mode.READ_ONLY


def test_a_new_clinic_trials_the_default_plan_once(clinic_a: ClinicWorld) -> None:
    first = trial_start(clinic=clinic_a.clinic)
    again = trial_start(clinic=clinic_a.clinic, plan_key="starter")
    assert first.pk == again.pk and again.plan == "growth"
    assert first.status == Status.TRIALING
    assert first.trial_ends_at is not None
    assert dt.timedelta(days=13, hours=23) < first.trial_ends_at - first.updated_at
    assert account_state(clinic_a.clinic.pk).mode is Mode.FULL
