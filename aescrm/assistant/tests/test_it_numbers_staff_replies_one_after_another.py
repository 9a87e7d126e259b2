"""Turn numbers stay unique and in order when colleagues reply at once: the session row is
locked while the next number is given out, and the database refuses a repeated number."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import IntegrityError, connections, transaction

from aescrm.assistant import staff
from aescrm.assistant.models import ChatTurn
from aescrm.assistant.tests.staff_support import fresh, make_chat, turns_of
from aescrm.core.tenancy import clinic_scope
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client

REPLIERS = ["owner", "manager", "receptionist"]


@pytest.mark.django_db
def test_two_replies_get_the_next_two_numbers(clinic_a: ClinicWorld) -> None:
    chat = make_chat(clinic_a)  # turns 1 and 2

    with clinic_scope(clinic_a.clinic.pk):
        first = staff.staff_reply(clinic_a.caller("receptionist"), chat, "One moment")
        second = staff.staff_reply(clinic_a.caller("manager"), chat, "I can help with that")

    assert (first.seq, second.seq) == (3, 4)
    assert fresh(clinic_a, chat).turn_count == 4


@pytest.mark.django_db
def test_a_turn_stored_without_counting_is_not_overwritten(clinic_a: ClinicWorld) -> None:
    chat = make_chat(clinic_a)
    with clinic_scope(clinic_a.clinic.pk):
        ChatTurn.objects.create(session=chat, seq=3, speaker="visitor", body="Still there?")
        turn = staff.staff_reply(clinic_a.caller(), chat, "Yes")

    assert turn.seq == 4
    assert [t[0] for t in turns_of(clinic_a, chat)] == [1, 2, 3, 4]


@pytest.mark.django_db
def test_the_database_refuses_a_repeated_number(clinic_a: ClinicWorld) -> None:
    chat = make_chat(clinic_a)

    with (
        clinic_scope(clinic_a.clinic.pk),
        pytest.raises(IntegrityError),
        transaction.atomic(),
    ):
        ChatTurn.objects.create(session=chat, seq=2, speaker="staff", body="Duplicate")


def test_replies_sent_at_the_same_moment_get_consecutive_numbers(
    transactional_db: Any, allow_audit_flush: Any, clinic_a: ClinicWorld
) -> None:
    chat = make_chat(clinic_a)
    clients = {role: member_client(clinic_a, role) for role in REPLIERS}
    start_line = threading.Barrier(len(REPLIERS))
    statuses: list[int] = []
    errors: list[BaseException] = []

    def reply(role: str) -> None:
        try:
            start_line.wait(timeout=10)
            response = clients[role].post(f"/inbox/chats/{chat.pk}/reply", {"body": f"From {role}"})
            statuses.append(response.status_code)
        except BaseException as exc:  # surfaced in the main thread below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=reply, args=(role,)) for role in REPLIERS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert statuses == [302] * len(REPLIERS)
    turns = turns_of(clinic_a, chat)
    assert [t[0] for t in turns] == [1, 2, 3, 4, 5]
    assert sorted(t[2] for t in turns[2:]) == sorted(f"From {role}" for role in REPLIERS)
    assert fresh(clinic_a, chat).turn_count == 5
