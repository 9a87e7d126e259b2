"""The onboarding checklist is worked out from the clinic's data, item by item (0030)."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.utils import timezone

from aescrm.accounts.models import Clinic, User
from aescrm.accounts.onboarding import checklist
from aescrm.accounts.services import membership_set
from aescrm.accounts.team import invitation_create
from aescrm.automation import services as automation
from aescrm.automation.models import Rule
from aescrm.automation.recipes import REMINDER_48
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Practitioner, Treatment
from aescrm.web.tests.onboarding_support import (
    FreshClinic,
    check_email_sender,
    connect_sms,
    fresh_clinic,
    make_reminder_own,
    save_email_sender,
)
from aescrm.web.tests.support import verified_client


def _done(fresh: FreshClinic) -> dict[str, bool]:
    clinic = Clinic.objects.get(pk=fresh.clinic.pk)
    return {item.key: item.done for item in checklist(clinic).items}


def _page(fresh: FreshClinic) -> str:
    response = verified_client(fresh.owner).get("/onboarding")
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_clinic_has_nothing_done(db: Any) -> None:
    fresh = fresh_clinic()

    assert set(_done(fresh).values()) == {False}
    html = _page(fresh)
    assert "0 of 7 done" in html
    for link in ("/settings/availability", "/settings/messaging", "/settings/email"):
        assert f'href="{link}"' in html
    assert 'href="/automations/"' in html
    # The snippet to paste, the same as on the Website page.
    assert f'data-clinic="{fresh.clinic.public_key}"' in html


def test_treatments_and_practitioners_tick_when_added_and_untick_when_retired(db: Any) -> None:
    fresh = fresh_clinic()
    with clinic_scope(fresh.clinic.pk):
        treatment = Treatment.objects.create(name="Whitening", duration_minutes=60, price_pence=1)
    assert _done(fresh)["treatments"] and not _done(fresh)["practitioners"]
    with clinic_scope(fresh.clinic.pk):
        Practitioner.objects.create(display_name="Dr Ada")
        Treatment.objects.filter(pk=treatment.pk).update(active=False)
    done = _done(fresh)
    assert done["practitioners"] and not done["treatments"]
    assert 'id="check-practitioners" class="checklist-item done"' in _page(fresh)


def test_the_sms_number_and_the_email_sender_tick_when_connected(db: Any) -> None:
    fresh = fresh_clinic()
    connect_sms(fresh.clinic, fresh.caller())
    save_email_sender(fresh.clinic, fresh.caller())
    assert _done(fresh)["sms"]
    # A sender is connected once Postmark has accepted its server token.
    assert not _done(fresh)["email"]
    check_email_sender(fresh.clinic, fresh.caller())
    assert _done(fresh)["email"]


def test_staff_tick_when_a_second_member_joins(db: Any) -> None:
    fresh = fresh_clinic()
    assert not _done(fresh)["staff"]
    colleague = User.objects.create_user("reception@fresh.test", "a long enough password 9")
    membership_set(clinic=fresh.clinic, user=colleague, role="receptionist")
    assert _done(fresh)["staff"]


def test_staff_tick_when_an_invitation_is_sent_before_anyone_accepts(db: Any) -> None:
    fresh = fresh_clinic()
    assert not _done(fresh)["staff"]
    invitation_create(caller=fresh.caller(), email="nurse@fresh.test", role="clinician")
    assert _done(fresh)["staff"]


def test_reminders_tick_when_the_clinic_has_made_one_its_own_and_it_is_on(db: Any) -> None:
    fresh = fresh_clinic()
    with clinic_scope(fresh.clinic.pk):
        rule = Rule.objects.select_related("current_version").get(recipe=REMINDER_48)
        assert rule.enabled  # switched on at sign-up, but nobody has looked yet
    assert not _done(fresh)["reminders"]

    make_reminder_own(fresh.clinic, fresh.caller())
    assert _done(fresh)["reminders"]

    with clinic_scope(fresh.clinic.pk):
        automation.rule_set_enabled(caller=fresh.caller(), rule=rule, enabled=False)
    assert not _done(fresh)["reminders"]


def test_the_widget_ticks_when_it_first_loads_on_the_clinic_s_website(db: Any) -> None:
    fresh = fresh_clinic(domains=["www.fresh-smiles.co.uk"])
    Client().post(
        f"/public/v1/{fresh.clinic.public_key}/seen", HTTP_ORIGIN="https://www.fresh-smiles.co.uk"
    )
    assert _done(fresh)["widget"]
    seen_at = Clinic.objects.get(pk=fresh.clinic.pk).widget_first_seen_at
    assert seen_at is not None and seen_at <= timezone.now()
    assert "1 of 7 done" in _page(fresh)
