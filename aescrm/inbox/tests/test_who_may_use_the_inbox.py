"""Which roles open which inbox pages; clinicians see only their own patients' conversations;
marketers see who and when, never what was written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aescrm.inbox.tests.support import conversation_of, inbound, texting_patient
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import SUMMER_DAY, book, member_client, text

pytestmark = pytest.mark.django_db

EVERYONE = {"owner", "manager", "clinician", "receptionist", "marketer", "auditor"}
READERS = {"owner", "manager", "clinician", "receptionist", "marketer"}
MANAGERS = {"owner", "manager"}

PAGES = {
    "inbox": ("/inbox/", READERS),
    "inbox updates": ("/inbox/updates", READERS),
    "conversation": ("/inbox/{c}/", READERS),
    "canned replies": ("/inbox/canned/", MANAGERS),
    "bulk send": ("/inbox/bulk/", MANAGERS),
}


@pytest.fixture
def treated(clinic_a: ClinicWorld) -> Any:
    """A patient the clinic's clinician treats, who has texted."""
    patient = texting_patient(clinic_a, first_name="Zebedee")
    book(clinic_a, patient, dt.datetime.combine(SUMMER_DAY, dt.time(10)))
    inbound(clinic_a, patient, "My crown came off")
    return patient


@pytest.mark.parametrize(
    ("url", "role", "expected"),
    [
        pytest.param(url, role, 200 if role in allowed else 403, id=f"{page}-{role}")
        for page, (url, allowed) in PAGES.items()
        for role in sorted(EVERYONE)
    ],
)
def test_each_role_gets_the_page_or_403(
    clinic_a: ClinicWorld, treated: Any, url: str, role: str, expected: int
) -> None:
    conversation = conversation_of(clinic_a, treated)

    response = member_client(clinic_a, role).get(url.format(c=conversation.pk))

    assert response.status_code == expected
    if expected == 403:
        assert "Your role does not give access to this page." in text(response)


def test_a_clinician_sees_only_the_conversations_of_patients_they_treat(
    clinic_a: ClinicWorld, treated: Any
) -> None:
    stranger = texting_patient(clinic_a, first_name="Yolanda", phone="07700 900999")
    inbound(clinic_a, stranger, "Hello")
    client = member_client(clinic_a, "clinician")

    listed = text(client.get("/inbox/"))
    other = client.get(f"/inbox/{conversation_of(clinic_a, stranger).pk}/")

    assert "Zebedee Pryce" in listed and "Yolanda" not in listed
    assert other.status_code == 404


def test_a_marketer_sees_the_list_without_what_anyone_wrote(
    clinic_a: ClinicWorld, treated: Any
) -> None:
    client = member_client(clinic_a, "marketer")

    listed = text(client.get("/inbox/"))
    polled = text(client.get("/inbox/updates?v=stale"))

    assert "Zebedee Pryce" in listed and "from the patient" in listed
    assert "My crown came off" not in listed and "My crown came off" not in polled


def test_the_inbox_is_in_the_navigation_of_those_who_may_read_it(clinic_a: ClinicWorld) -> None:
    for role in sorted(EVERYONE):
        nav = text(member_client(clinic_a, role).get("/")).split('aria-label="Main"')[1]
        nav = nav.split("</nav>")[0]
        assert ('href="/inbox/"' in nav) == (role in READERS), role
