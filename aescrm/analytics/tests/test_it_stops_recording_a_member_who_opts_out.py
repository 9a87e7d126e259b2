"""A member opts out of non-essential analytics on their own account page: their sign-ins
and actions are no longer recorded and past events are unlinked from them; counts about
the clinic's service that name no one go on. They can opt back in."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from aescrm.analytics.models import FeatureEvent
from aescrm.analytics.services import record
from aescrm.analytics.tests.support import events
from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import unscoped
from aescrm.testing.fixtures import PASSWORD, ClinicWorld
from aescrm.web.tests.support import text

pytestmark = pytest.mark.django_db


def _sign_in(email: str) -> Client:
    client = Client()
    response = client.post("/sign-in", {"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return client


def test_opting_out_stops_member_events_but_not_clinic_events(
    clinic_a: ClinicWorld, django_capture_on_commit_callbacks: Any
) -> None:
    clinic, member = clinic_a.clinic.pk, clinic_a.users["receptionist"]
    with django_capture_on_commit_callbacks(execute=True):
        client = _sign_in(member.email)
    assert events() == [("sign_in", clinic, member.pk)]

    page = client.get("/account/")
    assert "Do not include me in usage analytics" in text(page)
    assert 'name="opt_out" value="on" checked' not in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post("/account/analytics", {"opt_out": "on"})
    assert saved.status_code == 302 and saved["Location"] == "/account/#usage-analytics"
    assert "You are no longer included in usage analytics." in text(client.get(saved["Location"]))
    assert 'name="opt_out" value="on" checked' in client.get("/account/").content.decode()
    # The earlier sign-in still counts for the clinic, but no longer names the member.
    assert events() == [("sign_in", clinic, None)]

    with django_capture_on_commit_callbacks(execute=True):
        _sign_in(member.email)
        record("report_viewed", clinic, member)
        record("chat_started", clinic)
    assert events() == [("chat_started", clinic, None), ("sign_in", clinic, None)]

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/account/analytics", {})
        _sign_in(member.email)
    assert FeatureEvent.objects.filter(user=member).count() == 1
    with unscoped("test reads the platform audit chain"):
        actions = list(
            AuditEntry.all_chains.filter(action__startswith="analytics.")
            .order_by("occurred_at", "pk")
            .values_list("action", flat=True)
        )
    assert actions == ["analytics.opt_out", "analytics.opt_in"]


def test_the_choice_needs_a_signed_in_user(clinic_a: ClinicWorld) -> None:
    response = Client().post("/account/analytics", {"opt_out": "on"})
    assert response.status_code == 302 and "/sign-in" in response["Location"]
