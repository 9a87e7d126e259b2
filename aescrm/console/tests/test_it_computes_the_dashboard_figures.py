"""The platform dashboard: active clinics (a feature used or a member signed in within 30
days), clinics by subscription status, adoption of each feature among active clinics,
trial conversion, and cohorts by signup month — from daily counts and raw events alike."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from aescrm.accounts.models import Clinic, User
from aescrm.accounts.services import clinic_create, membership_set
from aescrm.console import selectors
from aescrm.console.selectors import Adoption, Cohort
from aescrm.console.tests.support import daily, raw, staff_client, subscribe
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import text

pytestmark = pytest.mark.django_db


def _clinic(slug: str) -> Clinic:
    return clinic_create(name=slug.title(), slug=slug, automations=False)


def test_dashboard_figures(clinic_a: ClinicWorld, clinic_b: ClinicWorld) -> None:
    now = timezone.now()
    today = now.astimezone(dt.UTC).date()
    a, b = clinic_a.clinic, clinic_b.clinic
    c, d, e = _clinic("charlie"), _clinic("delta"), _clinic("echo")
    # Alpha: a chat (raw, not yet counted) and reminders (counted); an ad upload too long ago.
    raw(a, "chat_started", now - dt.timedelta(days=2))
    daily(a, "reminder_sent", today - dt.timedelta(days=10), count=4)
    raw(a, "ad_upload_sent", now - dt.timedelta(days=40))
    # Bravo: website enquiries (counted) and an automation message today.
    daily(b, "enquiry_received", today - dt.timedelta(days=5), count=2)
    raw(b, "automation_message_sent", now)
    # Charlie: no feature, but a member signed in three days ago.
    member = User.objects.create_user("front@charlie.test", "a-long-password-123")
    membership_set(clinic=c, user=member, role="receptionist")
    User.objects.filter(pk=member.pk).update(last_login=now - dt.timedelta(days=3))
    # Delta: used the chatbot 45 days ago only. Echo: nothing at all.
    daily(d, "chat_started", today - dt.timedelta(days=45))

    subscribe(a, "trialing", trial_ends_at=now + dt.timedelta(days=5))
    subscribe(b, "active", trial_ends_at=now - dt.timedelta(days=20))
    subscribe(c, "canceled", trial_ends_at=now - dt.timedelta(days=10))
    subscribe(d, "trialing", trial_ends_at=now - dt.timedelta(days=2))

    d_ = selectors.dashboard(now)

    assert (d_.clinics, d_.active) == (5, 3)
    assert d_.by_status == [
        ("Free trial", 2),
        ("Active", 1),
        ("Cancelled", 1),
        ("Not billed through Stripe", 1),
    ]
    assert d_.adoption == [
        Adoption("Website widget", 1, 33),
        Adoption("Chatbot", 1, 33),
        Adoption("Automations", 1, 33),
        Adoption("Reminders", 1, 33),
        Adoption("Ad-platform uploads", 0, 0),
    ]
    assert (d_.trials_ended, d_.trials_converted, d_.conversion_percent) == (3, 1, 33)
    assert e.pk not in selectors.active_clinic_ids(now)

    page = text(staff_client().get("/platform/"))
    assert '<p class="figure" id="clinics-total">5</p>' in page
    assert '<p class="figure" id="clinics-active">3</p>' in page
    assert '<p class="figure" id="trial-conversion">33%</p>' in page
    assert "1 of 3 clinics whose trial ended now on an active subscription." in page
    assert '<tr><th scope="row">Ad-platform uploads</th><td>0</td><td>0%</td></tr>' in page
    assert '<tr><th scope="row">Not billed through Stripe</th><td>1</td></tr>' in page


def test_cohorts_by_signup_month(clinic_a: ClinicWorld, clinic_b: ClinicWorld) -> None:
    now = dt.datetime(2026, 11, 15, 12, tzinfo=dt.UTC)
    a, b = clinic_a.clinic, clinic_b.clinic
    c = _clinic("charlie")
    Clinic.objects.filter(pk=a.pk).update(created_at=dt.datetime(2026, 9, 10, tzinfo=dt.UTC))
    Clinic.objects.filter(pk=b.pk).update(created_at=dt.datetime(2026, 9, 20, tzinfo=dt.UTC))
    Clinic.objects.filter(pk=c.pk).update(created_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
    daily(a, "sign_in", dt.date(2026, 9, 12))
    daily(a, "reminder_sent", dt.date(2026, 10, 5))
    daily(b, "chat_started", dt.date(2026, 9, 25))
    raw(c, "patient_created", dt.datetime(2026, 11, 14, 9, tzinfo=dt.UTC))

    rows = selectors.cohorts(now)

    assert rows == [
        Cohort(dt.date(2026, 6, 1), 0, [0, 0, 0, 0, 0, 0]),
        Cohort(dt.date(2026, 7, 1), 0, [0, 0, 0, 0, 0, None]),
        Cohort(dt.date(2026, 8, 1), 0, [0, 0, 0, 0, None, None]),
        Cohort(dt.date(2026, 9, 1), 2, [2, 1, 0, None, None, None]),
        Cohort(dt.date(2026, 10, 1), 0, [0, 0, None, None, None, None]),
        Cohort(dt.date(2026, 11, 1), 1, [1, None, None, None, None, None]),
    ]
