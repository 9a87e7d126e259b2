"""Website chats through the public endpoint: each new conversation counts once; past the
plan's limit a new chat gets a fixed, polite answer with the clinic's number instead of the
assistant, the team is told, and chats already open carry on."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine

from aescrm.assistant.models import ChatSession, ChatTurn
from aescrm.assistant.tests.support import Visit, stock
from aescrm.billing.models import Metric
from aescrm.billing.tests.usage_support import NOON, counted, subscribe, use
from aescrm.core.tenancy import clinic_scope
from aescrm.testing.fixtures import ClinicWorld

FIXED = (
    "Thank you for your message. Our online assistant is not available just now, so the team "
    "at Alpha Dental will read what you wrote and reply here. You can also call Alpha Dental "
    "on 020 7946 0999."
)


@pytest.fixture(autouse=True)
def _at_noon() -> Iterator[None]:
    with time_machine.travel(NOON, tick=True):
        yield


def test_each_new_conversation_counts_once(clinic_a: ClinicWorld) -> None:
    stock(clinic_a.clinic)
    subscribe(clinic_a)
    visit = Visit(clinic_a.clinic)
    visit.say("hello")
    visit.say("is there parking?")
    Visit(clinic_a.clinic).say("what are your opening hours?")
    assert counted(clinic_a, Metric.CHAT_CONVERSATIONS) == 2


def test_past_the_limit_a_new_chat_gets_the_fixed_answer_and_the_team_is_told(
    clinic_a: ClinicWorld,
) -> None:
    stock(clinic_a.clinic)
    subscribe(clinic_a)  # growth: 1,500 conversations
    open_chat = Visit(clinic_a.clinic)
    open_chat.say("hello")
    use(clinic_a, Metric.CHAT_CONVERSATIONS, 1499)  # now at 1,500

    late = Visit(clinic_a.clinic)
    answer = late.say("is there parking?")
    assert answer["reply"] == FIXED
    assert answer["handoff"] is True
    again = late.say("hello?")
    assert again["reply"] == FIXED
    assert counted(clinic_a, Metric.CHAT_CONVERSATIONS) == 1500
    with clinic_scope(clinic_a.clinic.pk):
        session = ChatSession.objects.get(over_usage_limit=True)
        turns = list(ChatTurn.objects.filter(session=session).order_by("seq"))
    # What the visitor wrote is kept for the team; the assistant's engine never ran.
    assert [(t.speaker, t.body) for t in turns] == [
        ("visitor", "is there parking?"),
        ("assistant", FIXED),
        ("visitor", "hello?"),
        ("assistant", FIXED),
    ]
    assert {t.engine for t in turns if t.speaker == "assistant"} == {"usage_limit"}
    assert session.handoff_requested
    assert "conversation limit" in session.handoff_reason

    # A chat that started within the limit carries on with the assistant.
    assert "free parking" in open_chat.say("is there parking?")["reply"]


def test_a_clinic_that_allows_overage_keeps_its_assistant(clinic_a: ClinicWorld) -> None:
    stock(clinic_a.clinic)
    subscribe(clinic_a, allow_overage=True)
    use(clinic_a, Metric.CHAT_CONVERSATIONS, 1500)
    assert "free parking" in Visit(clinic_a.clinic).say("is there parking?")["reply"]
    assert counted(clinic_a, Metric.CHAT_CONVERSATIONS) == 1501
