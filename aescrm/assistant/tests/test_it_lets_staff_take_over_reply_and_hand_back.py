"""Staff take a chat over from the assistant, reply (the visitor's widget reads the reply as an
ordinary turn) and hand it back; each step is audited with ids only."""

from __future__ import annotations

import pytest

from aescrm.assistant import staff
from aescrm.assistant.tests.staff_support import fresh, make_chat, turns_of
from aescrm.audit.models import AuditEntry
from aescrm.core.problems import ValidationFailed
from aescrm.core.tenancy import clinic_scope
from aescrm.testing.fixtures import ClinicWorld
from aescrm.web.tests.support import member_client, text

pytestmark = pytest.mark.django_db


def _actions(world: ClinicWorld) -> list[tuple[str, str, dict[str, object]]]:
    with clinic_scope(world.clinic.pk):
        return [
            (e.action, e.object_id, e.detail)
            for e in AuditEntry.objects.filter(action__startswith="chat.")
            .exclude(action__in=["chat.read", "chat.list"])
            .order_by("seq", "id")
        ]


def test_take_over_then_reply_then_hand_back(clinic_a: ClinicWorld) -> None:
    chat = make_chat(clinic_a, handoff_requested=True)
    client = member_client(clinic_a, "receptionist")
    receptionist = clinic_a.users["receptionist"]

    # When the receptionist takes over
    taken = client.post(f"/inbox/chats/{chat.pk}/take-over")
    after_take = fresh(clinic_a, chat)
    # and replies
    sent = client.post(
        f"/inbox/chats/{chat.pk}/reply", {"body": "  Hi, this is Sam at reception.  "}
    )
    after_reply = fresh(clinic_a, chat)
    page = text(client.get(f"/inbox/chats/{chat.pk}/"))
    # and hands back
    back = client.post(f"/inbox/chats/{chat.pk}/hand-back")
    after_back = fresh(clinic_a, chat)

    assert taken.status_code == 302 and taken["Location"] == f"/inbox/chats/{chat.pk}/#reply"
    assert (after_take.mode, after_take.taken_over_by_id) == ("staff", receptionist.pk)
    assert sent.status_code == 302
    assert turns_of(clinic_a, chat)[-1] == (3, "staff", "Hi, this is Sam at reception.")
    assert (after_reply.mode, after_reply.turn_count) == ("staff", 3)
    assert after_reply.last_activity_at > chat.last_activity_at
    assert "Hi, this is Sam at reception." in page and "(staff)" in page
    assert "Hand back to the assistant" in page
    assert back.status_code == 302
    assert (after_back.mode, after_back.handoff_requested) == ("bot", False)
    with clinic_scope(clinic_a.clinic.pk):
        reply_turn = str(staff.ChatTurn.objects.get(session_id=chat.pk, seq=3).pk)
    assert _actions(clinic_a) == [
        ("chat.take_over", str(chat.pk), {}),
        ("chat.reply", str(chat.pk), {"turn": reply_turn, "seq": 3}),
        ("chat.hand_back", str(chat.pk), {}),
    ]


def test_replying_while_the_assistant_answers_takes_the_chat_over(clinic_a: ClinicWorld) -> None:
    chat = make_chat(clinic_a)

    with clinic_scope(clinic_a.clinic.pk):
        turn = staff.staff_reply(clinic_a.caller("manager"), chat, "Hello from the team")

    after = fresh(clinic_a, chat)
    assert (turn.seq, turn.speaker, turn.author_id) == (3, "staff", clinic_a.users["manager"].pk)
    assert (after.mode, after.taken_over_by_id) == ("staff", clinic_a.users["manager"].pk)
    assert [a[0] for a in _actions(clinic_a)] == ["chat.take_over", "chat.reply"]


def test_a_reply_by_htmx_returns_the_transcript_and_an_empty_box(clinic_a: ClinicWorld) -> None:
    chat = make_chat(clinic_a)

    response = member_client(clinic_a, "receptionist").post(
        f"/inbox/chats/{chat.pk}/reply", {"body": "On my way"}, HTTP_HX_REQUEST="true"
    )
    fragment = text(response)

    assert response.status_code == 200
    assert "On my way" in fragment.split('id="reply"')[0]  # in the transcript
    assert 'id="reply"' in fragment and 'hx-swap-oob="true"' in fragment
    assert "Reply sent." in fragment
    assert "<textarea" in fragment and "On my way</textarea>" not in fragment


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("   ", "Type a reply before sending it"),
        ("x" * 1001, "the most a chat message may have is 1000"),
        ("bad\x00byte", "a character that cannot be sent"),
    ],
)
def test_a_reply_must_be_1_to_1000_characters(
    clinic_a: ClinicWorld, body: str, problem: str
) -> None:
    chat = make_chat(clinic_a)
    client = member_client(clinic_a, "receptionist")

    plain = client.post(f"/inbox/chats/{chat.pk}/reply", {"body": body})
    htmx = client.post(f"/inbox/chats/{chat.pk}/reply", {"body": body}, HTTP_HX_REQUEST="true")

    assert plain.status_code == 422 and problem in text(plain)
    assert htmx.status_code == 200 and problem in text(htmx)
    assert len(turns_of(clinic_a, chat)) == 2
    assert fresh(clinic_a, chat).mode == "bot"
    with clinic_scope(clinic_a.clinic.pk), pytest.raises(ValidationFailed) as refused:
        staff.staff_reply(clinic_a.caller(), chat, body)
    assert refused.value.field == "body"
