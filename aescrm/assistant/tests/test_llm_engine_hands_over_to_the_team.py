"""The model passes the conversation to the clinic's team through the hand_over tool."""

from __future__ import annotations

from aescrm.assistant.engines.llm import LlmEngine
from aescrm.assistant.tests.llm_support import MemoryTools, config, tool_results, turn
from aescrm.testing.fakes.openai import FakeOpenAI


def test_it_hands_the_chat_over_when_the_visitor_asks_for_a_person() -> None:
    tools = MemoryTools()
    with FakeOpenAI() as fake:
        fake.then_tool_calls(("hand_over", {"reason": "Visitor asked for a person"}))
        fake.then_content("Of course. A member of the team will reply here shortly.")
        reply = LlmEngine(config(fake)).reply(turn("Can I talk to a real person?"), tools)
        results = tool_results(fake.bodies()[1])

    assert tools.handovers == ["Visitor asked for a person"]
    assert reply.handoff is True
    assert reply.intent == "human"
    assert reply.text == "Of course. A member of the team will reply here shortly."
    assert results == [
        {"status": "handed over; tell the visitor a member of the team will reply here"}
    ]
