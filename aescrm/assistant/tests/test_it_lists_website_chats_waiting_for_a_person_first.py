"""The website chats list puts chats waiting for a person first (emergencies first), then the
newest; it names the visitor when known, shows London times and says each chat's flags."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from aescrm.assistant import staff
from aescrm.assistant.tests.staff_support import make_chat
from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db


def _ago(minutes: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=minutes)


def test_emergencies_then_requests_for_a_person_then_the_newest(clinic_a: ClinicWorld) -> None:
    newest = make_chat(clinic_a, last_activity_at=_ago(1))
    asked = make_chat(clinic_a, last_activity_at=_ago(20), handoff_requested=True)
    emergency = make_chat(clinic_a, last_activity_at=_ago(40), emergency=True)
    older = make_chat(clinic_a, last_activity_at=_ago(60))
    # a request someone already answers no longer waits
    answered = make_chat(clinic_a, last_activity_at=_ago(10), handoff_requested=True, mode="staff")
    # not listed: a chat with no turns, and one last active 31 days ago
    make_chat(clinic_a, [], last_activity_at=_ago(2))
    make_chat(clinic_a, last_activity_at=timezone.now() - dt.timedelta(days=31))

    with clinic_scope(clinic_a.clinic.pk):
        listed = [s.pk for s in staff.chat_list(clinic_a.caller("receptionist"))]
        plain = [
            s.pk
            for s in staff.chat_list(clinic_a.caller("receptionist"), needs_attention_first=False)
        ]
        waiting = staff.attention_count(clinic_a.caller("receptionist"))
        entry = AuditEntry.objects.filter(action="chat.list").latest("occurred_at")

    assert listed == [emergency.pk, asked.pk, newest.pk, answered.pk, older.pk]
    assert plain == [newest.pk, answered.pk, asked.pk, emergency.pk, older.pk]
    assert waiting == 2
    assert entry.detail == {"shown": [str(pk) for pk in plain]}


def test_the_page_names_visitors_and_says_each_flag_in_words(clinic_a: ClinicWorld) -> None:
    patient = clinic_a.make_patient(first_name="Zebedee", last_name="Quixotic")
    at = _ago(5)
    make_chat(clinic_a, last_activity_at=at, patient=patient, emergency=True)
    make_chat(clinic_a, handoff_requested=True, mode="staff")

    page = text(member_client(clinic_a, "receptionist").get("/inbox/chats/"))

    assert "Zebedee Quixotic" in page and "Website visitor" in page
    # shown on the clinic's clock (Europe/London)
    assert timezone.localtime(at, clinic_a.clinic.tz).strftime("%-d %b, %H:%M") in page
    assert "Emergency</span>" in page
    assert "Asked for a person" in page and "Staff answering" in page
    assert "1 waiting" in page


def test_the_inbox_shows_a_website_chats_tab_with_how_many_wait(clinic_a: ClinicWorld) -> None:
    make_chat(clinic_a, emergency=True)
    make_chat(clinic_a, handoff_requested=True)
    make_chat(clinic_a)

    page = text(member_client(clinic_a, "receptionist").get("/inbox/"))
    marketer = text(member_client(clinic_a, "marketer").get("/inbox/"))

    assert 'href="/inbox/chats/"' in page
    assert "2 waiting" in page
    assert "Website chats" not in marketer


def test_the_list_poll_answers_204_until_something_changes(clinic_a: ClinicWorld) -> None:
    chat = make_chat(clinic_a)
    client = member_client(clinic_a, "receptionist")
    with clinic_scope(clinic_a.clinic.pk):
        version = staff.list_version(clinic_a.caller("receptionist"))

    unchanged = client.get(f"/inbox/chats/updates?v={version}")
    with clinic_scope(clinic_a.clinic.pk):
        type(chat).objects.filter(pk=chat.pk).update(handoff_requested=True)
    changed = client.get(f"/inbox/chats/updates?v={version}")

    assert unchanged.status_code == 204
    assert changed.status_code == 200 and "Asked for a person" in text(changed)
