"""Every website chat URL naming a chat of clinic A answers 404 to clinic B's members and
changes nothing; clinic B's list and patient timelines never show clinic A's chats."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.assistant.models import ChatSession, ChatTurn
from aescrm.assistant.tests.staff_support import fresh, make_chat, turns_of
from aescrm.audit.models import AuditEntry
from aescrm.core.tenancy import clinic_scope
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def chat_of_a(clinic_a: ClinicWorld) -> ChatSession:
    patient = clinic_a.make_patient(first_name="Zebedee")
    return make_chat(clinic_a, patient=patient, handoff_requested=True, unread_count=2)


def _state(world: ClinicWorld, chat: ChatSession) -> tuple[Any, ...]:
    now = fresh(world, chat)
    return (
        now.mode,
        now.handoff_requested,
        now.taken_over_by_id,
        now.unread_count,
        now.turn_count,
        turns_of(world, chat),
    )


@pytest.mark.parametrize("role", ["owner", "receptionist"])
@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/inbox/chats/{c}/", {}),
        ("get", "/inbox/chats/{c}/transcript?v=x", {}),
        ("post", "/inbox/chats/{c}/take-over", {}),
        ("post", "/inbox/chats/{c}/hand-back", {}),
        ("post", "/inbox/chats/{c}/reply", {"body": "Hello from B"}),
    ],
)
def test_each_url_is_404_for_another_clinic_and_changes_nothing(
    clinic_a: ClinicWorld,
    clinic_b: ClinicWorld,
    chat_of_a: ChatSession,
    role: str,
    method: str,
    path: str,
    data: dict[str, str],
) -> None:
    before = _state(clinic_a, chat_of_a)

    client = member_client(clinic_b, role)
    response = getattr(client, method)(path.format(c=chat_of_a.pk), data)
    htmx = client.post(f"/inbox/chats/{chat_of_a.pk}/reply", {"body": "Hi"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 404 and htmx.status_code == 404
    assert "Hello! How can I help?" not in text(response)
    assert _state(clinic_a, chat_of_a) == before
    with clinic_scope(clinic_b.clinic.pk):
        assert ChatTurn.objects.count() == 0
        assert not AuditEntry.objects.filter(object_id=str(chat_of_a.pk)).exists()


def test_a_malformed_chat_id_is_404(clinic_a: ClinicWorld) -> None:
    from aescrm.assistant import staff
    from aescrm.core.problems import NotFound

    with clinic_scope(clinic_a.clinic.pk), pytest.raises(NotFound):
        staff.chat_get(clinic_a.caller(), "not-a-uuid")


def test_clinic_bs_list_shows_nothing_of_clinic_a(
    clinic_b: ClinicWorld, chat_of_a: ChatSession
) -> None:
    client = member_client(clinic_b, "owner")

    for url in ("/inbox/chats/", "/inbox/chats/updates?v=x", "/inbox/"):
        page = text(client.get(url))
        assert "Zebedee" not in page and str(chat_of_a.pk) not in page, url
        assert "waiting<span" not in page, url  # no badge
