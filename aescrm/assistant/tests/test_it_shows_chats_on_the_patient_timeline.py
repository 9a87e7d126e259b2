"""A patient's website chats appear on their timeline (a summary and a link to the transcript)
for those who may read chats, and in the API timeline as counts, never the words."""

from __future__ import annotations

import datetime as dt

import pytest

from aescrm.accounts.services import api_key_create
from aescrm.assistant.models import ChatSession
from aescrm.assistant.tests.staff_support import assistant, make_chat, visitor
from aescrm.core.tenancy import clinic_scope
from aescrm.patients.models import Patient
from aescrm.testing.fixtures import ApiClient, ClinicWorld
from aescrm.web.tests.support import SUMMER_DAY, book, member_client, text

pytestmark = pytest.mark.django_db

TURNS = [
    visitor("I'd like my lips done"),
    assistant("Lip filler starts at £250. Shall I book you in?"),
    visitor("Yes please"),
    assistant("You're booked in."),
]


@pytest.fixture
def booked_chat(clinic_a: ClinicWorld) -> tuple[Patient, ChatSession]:
    patient = clinic_a.make_patient(first_name="Zebedee")
    with clinic_scope(clinic_a.clinic.pk):
        assert clinic_a.treatment is not None and clinic_a.practitioner is not None
        clinic_a.treatment.name = "Lip filler"
        clinic_a.treatment.save()
    appointment = book(clinic_a, patient, dt.datetime.combine(SUMMER_DAY, dt.time(10)))
    chat = make_chat(clinic_a, TURNS, patient=patient, appointment=appointment)
    make_chat(clinic_a, [visitor("Someone else")])  # another visitor's chat
    return patient, chat


def test_the_patient_page_lists_the_chat_with_a_link(
    clinic_a: ClinicWorld, booked_chat: tuple[Patient, ChatSession]
) -> None:
    patient, chat = booked_chat

    page = text(member_client(clinic_a, "receptionist").get(f"/patients/{patient.pk}/"))
    timeline = page.split('id="timeline"')[1]

    assert '<li class="timeline-chat">' in timeline
    assert (
        f'<a href="/inbox/chats/{chat.pk}/">Website chat — 4 messages, booked Lip filler</a>'
        in timeline
    )
    assert "I&#x27;d like my lips done" not in timeline  # the words stay in the transcript
    assert timeline.count("timeline-chat") == 1


def test_marketers_do_not_see_them(
    clinic_a: ClinicWorld, booked_chat: tuple[Patient, ChatSession]
) -> None:
    patient, _ = booked_chat

    page = text(member_client(clinic_a, "marketer").get(f"/patients/{patient.pk}/"))

    assert "timeline-chat" not in page and "Website chat" not in page


def test_the_api_timeline_has_the_chat_as_counts(
    clinic_a: ClinicWorld, booked_chat: tuple[Patient, ChatSession]
) -> None:
    patient, chat = booked_chat

    items = clinic_a.api().get(f"/api/v1/patients/{patient.pk}/timeline").json()
    chats = [i for i in items if i["type"] == "chat"]

    assert chats == [
        {
            "type": "chat",
            "id": str(chat.pk),
            "at": chats[0]["at"],
            "summary": "Website chat — 4 messages, booked Lip filler",
            "status": None,
            "channel": None,
            "direction": None,
            "body": None,
            "turns": 4,
        }
    ]
    with clinic_scope(clinic_a.clinic.pk):
        started = ChatSession.objects.get(pk=chat.pk).started_at
    assert chats[0]["at"].replace("Z", "+00:00")[:19] == started.isoformat()[:19]


def test_a_key_without_messages_read_gets_no_chats(
    clinic_a: ClinicWorld, booked_chat: tuple[Patient, ChatSession]
) -> None:
    patient, _ = booked_chat
    _, secret = api_key_create(clinic=clinic_a.clinic, name="crm", scopes=["patients:read"])

    items = ApiClient(secret).get(f"/api/v1/patients/{patient.pk}/timeline").json()

    assert [i["type"] for i in items if i["type"] == "chat"] == []
