"""Answers the engine cannot use end the turn with a reason; bad tool calls go back to the model."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from aescrm.assistant.engines.fallback import FallbackEngine
from aescrm.assistant.engines.llm import EngineFailed, LlmEngine
from aescrm.assistant.tests.llm_support import CannedEngine, MemoryTools, config, tool_results, turn
from aescrm.testing.fakes.openai import FakeOpenAI, completion


@pytest.mark.parametrize(
    ("script", "reason"),
    [
        (lambda f: f.then_raw(b'{"choices": [{"message": '), "was not valid JSON"),
        (lambda f: f.then_raw(b"<html>Bad gateway</html>", 200), "was not valid JSON"),
        (lambda f: f.then_raw(b'["a list"]'), "was not a JSON object"),
        (lambda f: f.then(lambda _b: (200, {"id": "x", "choices": []})), "had no choices"),
        (lambda f: f.then(lambda _b: (200, {"choices": [{"index": 0}]})), "had no message"),
        (
            lambda f: f.then(lambda _b: completion({"role": "assistant", "content": "  "})),
            "empty answer",
        ),
        (
            lambda f: f.then(lambda _b: completion({"role": "assistant", "content": None})),
            "empty answer",
        ),
        (
            lambda f: f.then(
                lambda _b: completion({"role": "assistant", "tool_calls": {"not": "a list"}})
            ),
            "tool calls were not a list",
        ),
    ],
)
def test_a_malformed_answer_fails_the_turn(
    script: Callable[[FakeOpenAI], object], reason: str
) -> None:
    with FakeOpenAI() as fake:
        script(fake)
        with pytest.raises(EngineFailed, match=reason):
            LlmEngine(config(fake)).reply(turn("Hello"), MemoryTools())
        script(fake)
        reply = FallbackEngine(LlmEngine(config(fake)), CannedEngine()).reply(
            turn("Hello"), MemoryTools()
        )

    assert reply.engine == "canned" and reason in reply.notes["fallback_reason"]


def test_too_many_tool_rounds_fail_the_turn() -> None:
    with FakeOpenAI() as fake:
        for _ in range(5):
            fake.then_tool_calls(("search_knowledge", {"query": "hours"}))
        fake.then_content("Never asked for")
        with pytest.raises(EngineFailed, match="still wanted tools after 4 rounds"):
            LlmEngine(config(fake)).reply(turn("When are you open?"), MemoryTools())
        asked = len(fake.requests)

    assert asked == 5


def test_bad_tool_calls_go_back_to_the_model_as_errors() -> None:
    tools = MemoryTools()
    with FakeOpenAI() as fake:
        fake.then_tool_calls(
            ("search_knowledge", '{"query": "hours"'),
            ("delete_everything", {}),
            ("search_knowledge", '["hours"]'),
            ("search_knowledge", {"query": 42}),
            ("search_knowledge", {}),
            ("hand_over", {"reason": ""}),
        )
        fake.then_content("Sorry, I could not find that. Shall I ask the team?")
        reply = LlmEngine(config(fake)).reply(turn("When are you open?"), tools)
        results = tool_results(fake.bodies()[1])

    assert results == [
        {"error": "the arguments were not valid JSON; send a JSON object"},
        {
            "error": "there is no tool called 'delete_everything'; "
            "use search_knowledge, find_slots, create_enquiry, hand_over"
        },
        {"error": "the arguments must be a JSON object"},
        {"error": "query must be a string"},
        {"error": "query is required"},
        {"error": "reason is required"},
    ]
    assert tools.searches == [] and tools.handovers == []
    assert reply.text == "Sorry, I could not find that. Shall I ask the team?"
    assert reply.handoff is False and reply.intent == "out_of_scope"
