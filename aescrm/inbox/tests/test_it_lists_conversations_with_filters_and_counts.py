"""The inbox lists conversations across channels, newest first, with filters and their counts."""

from __future__ import annotations

import re
from typing import Any

import pytest

from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.inbox import services
from aescrm.inbox.selectors import PAGE_SIZE
from aescrm.inbox.tests.conftest import no_quiet_hours
from aescrm.inbox.tests.support import conversation_of, inbound, texting_patient
from aescrm.messaging import services as messaging
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db


def _names(page: str) -> list[str]:
    """Patients in the list, in order (the link text of each row's header cell)."""
    return re.findall(r'<th scope="row" data-label="Patient"><a href="[^"]+">([^<]+)</a>', page)


def _count(page: str, label: str) -> int:
    match = re.search(rf'>{label} <span class="count">(\d+)</span>', page)
    assert match, label
    return int(match.group(1))


@pytest.fixture
def inbox(clinic_a: ClinicWorld, console: None) -> dict[str, Any]:
    no_quiet_hours(clinic_a)
    waiting = texting_patient(clinic_a, first_name="Aneurin", phone="07700 900201")
    answered = texting_patient(clinic_a, first_name="Branwen", phone="07700 900202")
    mine = texting_patient(clinic_a, first_name="Ceridwen", phone="07700 900203")
    emailer = clinic_a.make_patient(first_name="Dafydd", last_name="Jones")
    inbound(clinic_a, answered, "Is parking free?")
    inbound(clinic_a, mine, "Thanks!")
    receptionist = clinic_a.caller("receptionist")
    with clinic_scope(clinic_a.clinic.pk):
        conversation = conversation_of(clinic_a, answered)
        services.mark_read(caller=receptionist, conversation=conversation)
        messaging.message_queue(
            caller=receptionist, patient=answered, body="Yes, it is.", kind="service"
        )
        services.mark_read(caller=receptionist, conversation=conversation_of(clinic_a, mine))
        services.assign(
            caller=receptionist,
            conversation=conversation_of(clinic_a, mine),
            user_id=receptionist.user_id,
        )
        messaging.conversation_for(emailer, "email")
    inbound(clinic_a, waiting, "Can I move my appointment?")  # the newest
    return {"client": member_client(clinic_a, "receptionist"), "waiting": waiting}


def test_everything_newest_first_with_counts_and_the_last_words(inbox: dict[str, Any]) -> None:
    page = text(inbox["client"].get("/inbox/"))

    assert _names(page) == ["Aneurin Pryce", "Branwen Pryce", "Ceridwen Pryce", "Dafydd Jones"]
    assert [_count(page, label) for label in ("All", "Unread", "Awaiting reply")] == [4, 1, 2]
    assert [_count(page, label) for label in ("Assigned to me", "Unassigned", "SMS", "Email")] == [
        1,
        3,
        3,
        1,
    ]
    assert "Can I move my appointment?" in page
    assert "1 unread" in page


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("unread=on", ["Aneurin Pryce"]),
        ("awaiting=on", ["Aneurin Pryce", "Ceridwen Pryce"]),
        ("assigned=me", ["Ceridwen Pryce"]),
        ("assigned=none", ["Aneurin Pryce", "Branwen Pryce", "Dafydd Jones"]),
        ("channel=email", ["Dafydd Jones"]),
        ("channel=sms&awaiting=on&assigned=none", ["Aneurin Pryce"]),
    ],
)
def test_each_filter_shows_only_its_conversations(
    inbox: dict[str, Any], query: str, names: list[str]
) -> None:
    page = text(inbox["client"].get(f"/inbox/?{query}"))

    assert _names(page) == names


def test_a_colleagues_conversations(inbox: dict[str, Any], clinic_a: ClinicWorld) -> None:
    colleague = clinic_a.users["receptionist"].pk
    page = text(member_client(clinic_a, "manager").get(f"/inbox/?assigned={colleague}"))

    assert _names(page) == ["Ceridwen Pryce"]


def test_an_unknown_filter_value_is_an_error_not_a_crash(inbox: dict[str, Any]) -> None:
    response = inbox["client"].get("/inbox/?channel=pigeon")

    assert response.status_code == 200
    assert "Select a valid choice" in text(response)


def test_the_list_read_is_audited_with_what_it_showed(
    inbox: dict[str, Any], clinic_a: ClinicWorld
) -> None:
    inbox["client"].get("/inbox/?unread=on")

    with clinic_scope(clinic_a.clinic.pk):
        entry = AuditEntry.objects.filter(action="conversation.list").latest("occurred_at")
    waiting = conversation_of(clinic_a, inbox["waiting"])
    assert entry.detail == {"shown": [str(waiting.pk)], "bodies": True}


def test_pages_of_twenty_five(clinic_a: ClinicWorld, console: None) -> None:
    for n in range(PAGE_SIZE + 1):
        inbound(clinic_a, texting_patient(clinic_a, first_name=f"P{n:02d}", phone=None), "Hi")
    client = member_client(clinic_a, "receptionist")

    first = text(client.get("/inbox/"))
    second = text(client.get("/inbox/?page=2"))

    assert len(_names(first)) == PAGE_SIZE and _names(second) == ["P00 Pryce"]
    assert "Page 1 of 2" in first and 'href="?page=2" rel="next"' in first
