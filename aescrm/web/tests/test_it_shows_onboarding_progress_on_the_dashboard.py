"""The dashboard shows "n of 7 done" to owners and managers until onboarding is complete."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from aescrm.web.tests.onboarding_support import (
    check_email_sender,
    connect_sms,
    fresh_clinic,
    make_reminder_own,
    save_email_sender,
)
from aescrm.web.tests.support import member_client, verified_client


def test_a_new_clinic_s_owner_sees_the_progress_card(db: Any) -> None:
    fresh = fresh_clinic()
    html = verified_client(fresh.owner).get("/").content.decode()
    assert '<p class="figure" id="onboarding-done">0 of 7 done</p>' in html
    assert 'href="/onboarding"' in html


def test_clinic_a_s_owner_sees_what_it_has_done(clinic_a: Any) -> None:
    # The test clinic has a treatment, a practitioner and several members.
    html = member_client(clinic_a, "owner").get("/").content.decode()
    assert 'id="onboarding-done">3 of 7 done' in html


@pytest.mark.parametrize("role", ["receptionist", "clinician", "marketer", "auditor"])
def test_other_roles_do_not_see_it(clinic_a: Any, role: str) -> None:
    assert 'id="onboarding-done"' not in member_client(clinic_a, role).get("/").content.decode()


def test_the_card_goes_once_everything_is_done(clinic_a: Any) -> None:
    owner = clinic_a.caller()
    connect_sms(clinic_a.clinic, owner)
    save_email_sender(clinic_a.clinic, owner)
    check_email_sender(clinic_a.clinic, owner)
    make_reminder_own(clinic_a.clinic, owner)
    client = member_client(clinic_a, "owner")
    assert 'id="onboarding-done">6 of 7 done' in client.get("/").content.decode()

    Client().post(
        f"/public/v1/{clinic_a.clinic.public_key}/seen", HTTP_ORIGIN="https://alpha.example"
    )

    assert 'id="onboarding-done"' not in client.get("/").content.decode()
    assert "7 of 7 done" in client.get("/onboarding").content.decode()
