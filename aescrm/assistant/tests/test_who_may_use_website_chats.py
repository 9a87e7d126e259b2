"""Front desk roles read and answer website chats; clinicians read only the chats of patients
they treat; marketers and auditors never read transcripts (they are personal data)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aescrm.assistant.tests.staff_support import fresh, make_chat, turns_of
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import SUMMER_DAY, book, member_client, text

pytestmark = pytest.mark.django_db

EVERYONE = {"owner", "manager", "clinician", "receptionist", "marketer", "auditor"}
READERS = {"owner", "manager", "clinician", "receptionist"}
ANSWERERS = {"owner", "manager", "receptionist"}

PAGES = {
    "chats": ("/inbox/chats/", READERS),
    "chats updates": ("/inbox/chats/updates?v=x", READERS),
    "chat": ("/inbox/chats/{c}/", READERS),
    "chat transcript": ("/inbox/chats/{c}/transcript?v=x", READERS),
}


@pytest.fixture
def treated_chat(clinic_a: ClinicWorld) -> Any:
    """A chat linked to a patient the clinic's clinician treats."""
    patient = clinic_a.make_patient(first_name="Zebedee")
    book(clinic_a, patient, dt.datetime.combine(SUMMER_DAY, dt.time(10)))
    return make_chat(clinic_a, patient=patient)


@pytest.mark.parametrize(
    ("url", "role", "expected"),
    [
        pytest.param(url, role, 200 if role in allowed else 403, id=f"{page}-{role}")
        for page, (url, allowed) in PAGES.items()
        for role in sorted(EVERYONE)
    ],
)
def test_each_role_gets_the_page_or_403(
    clinic_a: ClinicWorld, treated_chat: Any, url: str, role: str, expected: int
) -> None:
    response = member_client(clinic_a, role).get(url.format(c=treated_chat.pk))

    assert response.status_code == expected
    if expected == 403:
        assert "Your role does not give access to this page." in text(response)
        assert "Hello! How can I help?" not in text(response)


@pytest.mark.parametrize("role", sorted(EVERYONE))
def test_only_the_front_desk_may_answer(
    clinic_a: ClinicWorld, treated_chat: Any, role: str
) -> None:
    client = member_client(clinic_a, role)
    chat = treated_chat

    took = client.post(f"/inbox/chats/{chat.pk}/take-over")
    replied = client.post(f"/inbox/chats/{chat.pk}/reply", {"body": "Hello"})
    page = client.get(f"/inbox/chats/{chat.pk}/")

    if role in ANSWERERS:
        assert (took.status_code, replied.status_code) == (302, 302)
        assert turns_of(clinic_a, chat)[-1] == (3, "staff", "Hello")
        assert fresh(clinic_a, chat).mode == "staff"
    else:
        assert (took.status_code, replied.status_code) == (403, 403)
        assert len(turns_of(clinic_a, chat)) == 2
        assert fresh(clinic_a, chat).mode == "bot"
        back = client.post(f"/inbox/chats/{chat.pk}/hand-back")
        assert back.status_code == 403
    if role == "clinician":  # reads, without the buttons
        assert page.status_code == 200
        assert "Take over" not in text(page) and 'id="reply"' not in text(page)


def test_a_clinician_sees_only_chats_of_patients_they_treat(
    clinic_a: ClinicWorld, treated_chat: Any
) -> None:
    stranger = clinic_a.make_patient(first_name="Yolanda")
    theirs = make_chat(clinic_a, patient=stranger)
    anonymous = make_chat(clinic_a)
    client = member_client(clinic_a, "clinician")

    listed = text(client.get("/inbox/chats/"))

    assert "Zebedee" in listed and "Yolanda" not in listed and "Website visitor" not in listed
    assert client.get(f"/inbox/chats/{theirs.pk}/").status_code == 404
    assert client.get(f"/inbox/chats/{anonymous.pk}/").status_code == 404


def test_the_chats_tab_shows_only_to_those_who_may_read_chats(clinic_a: ClinicWorld) -> None:
    for role in sorted(EVERYONE - {"auditor"}):  # auditors have no inbox at all
        page = text(member_client(clinic_a, role).get("/inbox/"))
        assert ('href="/inbox/chats/"' in page) == (role in READERS), role
