"""The model answers from the clinic's knowledge, fetched through a tool call over HTTP."""

from __future__ import annotations

import json
from typing import Any

from aescrm.assistant.engines.llm import LlmEngine
from aescrm.assistant.tests.llm_support import (
    ANTI_WRINKLE,
    MemoryTools,
    config,
    tool_results,
    turn,
)
from aescrm.testing.fakes import openai as fake_openai
from aescrm.testing.fakes.base import Answer
from aescrm.testing.fakes.openai import FakeOpenAI, tool_messages


def quote_the_price(body: dict[str, Any]) -> Answer:
    # Like a grounded model: the price comes from the tool result, not from the model.
    found = json.loads(tool_messages(body)[-1]["content"])
    return fake_openai.content(f"{found[0]['title']} costs {found[0]['price']} at our clinic.")


def test_it_answers_with_the_price_from_the_knowledge_doc() -> None:
    tools = MemoryTools()
    with FakeOpenAI() as fake:
        fake.then_tool_calls(("search_knowledge", {"query": "anti-wrinkle price"}))
        fake.then(quote_the_price)
        reply = LlmEngine(config(fake)).reply(turn("How much is anti-wrinkle?"), tools)

    assert reply.text == "Anti-wrinkle treatment (three areas) costs £199 at our clinic."
    assert reply.intent == "pricing"
    assert reply.engine == "llm" and reply.version == "1"
    assert reply.model == fake_openai.MODEL
    assert [d.id for d in reply.knowledge] == [ANTI_WRINKLE.id]
    assert reply.allowed_prices == {19900}
    assert reply.handoff is False
    assert reply.notes["tool_calls"] == ["search_knowledge"]
    assert reply.notes["usage"] == {
        "prompt_tokens": 200,
        "completion_tokens": 40,
        "total_tokens": 240,
    }
    assert tools.searches == ["anti-wrinkle price"]


def test_it_sends_the_key_the_tools_and_the_tool_results_as_openai_documents() -> None:
    with FakeOpenAI() as fake:
        fake.then_tool_calls(("search_knowledge", {"query": "opening hours"}))
        fake.then_content("We are open Monday to Friday 9am to 6pm and Saturday mornings.")
        reply = LlmEngine(config(fake)).reply(turn("When are you open?"), MemoryTools())
        first, second = fake.requests

    assert reply.intent == "opening_hours"
    for request in (first, second):
        assert request.method == "POST" and request.path == "/v1/chat/completions"
        assert request.headers["authorization"] == f"Bearer {fake_openai.API_KEY}"
    body = first.json
    assert body["model"] == "fake-gpt-1"
    assert body["tool_choice"] == "auto"
    offered = {t["function"]["name"] for t in body["tools"] if t["type"] == "function"}
    assert offered == {"search_knowledge", "find_slots", "create_enquiry", "hand_over"}
    system = body["messages"][0]
    assert system["role"] == "system" and "Alpha Aesthetics" in system["content"]
    assert "anti-wrinkle treatment" in system["content"]
    assert body["messages"][-1] == {"role": "user", "content": "When are you open?"}

    # The model's tool call goes back as it was asked, then the result with the same id.
    asked = second.json["messages"][-2]
    answered = second.json["messages"][-1]
    assert asked["role"] == "assistant"
    call = asked["tool_calls"][0]
    assert call["function"]["name"] == "search_knowledge"
    assert answered["role"] == "tool" and answered["tool_call_id"] == call["id"]
    assert tool_results(second.json) == [
        [
            {
                "id": "k-hours",
                "title": "Opening hours",
                "answer": "Monday to Friday 9am to 6pm; Saturday 9am to 1pm.",
                "price": None,
            }
        ]
    ]


def test_it_sends_only_the_last_ten_turns_of_the_conversation() -> None:
    history = [("visitor" if i % 2 == 0 else "assistant", f"message {i}") for i in range(14)]
    history.append(("visitor", "And on Saturdays?"))  # the turn itself, as the chat stores it
    with FakeOpenAI() as fake:
        fake.then_content("I do not know that, sorry. Shall I ask the team?")
        reply = LlmEngine(config(fake)).reply(turn("And on Saturdays?", history), MemoryTools())
        body = fake.bodies()[0]

    sent = [(m["role"], m["content"]) for m in body["messages"][1:]]
    expected = [("user" if i % 2 == 0 else "assistant", f"message {i}") for i in range(4, 14)]
    assert sent == [*expected, ("user", "And on Saturdays?")]
    assert reply.intent == "out_of_scope" and reply.knowledge == []
    assert reply.notes["tool_calls"] == []


def test_it_sends_no_authorization_header_to_an_endpoint_without_a_key() -> None:
    with FakeOpenAI(api_key=None) as fake:
        fake.then_content("Hello! How can I help?")
        reply = LlmEngine(config(fake, api_key="")).reply(turn("Hi"), MemoryTools())
        headers = fake.requests[0].headers

    assert reply.text == "Hello! How can I help?"
    assert "authorization" not in headers
