"""When the model endpoint fails, the turn is answered by the fallback engine instead.

The fallback here is ``CannedEngine``, a stand-in for the built-in engine the chat uses.
"""

from __future__ import annotations

import socket
import time

import pytest

from aescrm.assistant.engines.fallback import FallbackEngine
from aescrm.assistant.engines.llm import EngineFailed, LlmConfig, LlmEngine
from aescrm.assistant.tests.llm_support import CannedEngine, MemoryTools, config, turn
from aescrm.testing.fakes.openai import FakeOpenAI, tool_calls


def test_a_slow_model_times_out_and_the_fallback_engine_answers() -> None:
    tools = MemoryTools()
    with FakeOpenAI() as fake:
        fake.then_slow(2.0)
        started = time.monotonic()
        with pytest.raises(EngineFailed, match=r"did not answer within 0\.5 seconds"):
            LlmEngine(config(fake, timeout=0.5)).reply(turn("Hello"), tools)
        assert time.monotonic() - started < 1.5

        fake.then_slow(2.0)
        fallback = CannedEngine()
        engine = FallbackEngine(LlmEngine(config(fake, timeout=0.5)), fallback)
        reply = engine.reply(turn("Hello"), tools)

    assert reply.text == "Thank you for your message to Alpha Aesthetics."
    assert reply.engine == "canned" and reply.version == "0"
    assert (engine.name, engine.version) == ("canned", "0")
    assert reply.notes["fallback_from"] == "llm"
    assert reply.notes["fallback_reason"] == "the model endpoint did not answer within 0.5 seconds"
    assert fallback.turns == ["Hello"]


def test_a_turn_gives_up_after_twice_the_timeout_in_all() -> None:
    # Each answer comes within the per-call timeout, but the tool rounds add up.
    with FakeOpenAI() as fake:
        search = tool_calls(("search_knowledge", {"query": "hours"}))
        for _ in range(4):
            fake.then(lambda _body: search, delay=0.45)
        started = time.monotonic()
        with pytest.raises(EngineFailed, match=r"took more than 1\.6 seconds for this turn"):
            LlmEngine(config(fake, timeout=0.8)).reply(turn("When are you open?"), MemoryTools())
        assert time.monotonic() - started < 2.5


def test_a_server_error_falls_back() -> None:
    with FakeOpenAI() as fake:
        fake.then_error(500, "The server had an error while processing your request.")
        reply = FallbackEngine(LlmEngine(config(fake)), CannedEngine()).reply(
            turn("Hello"), MemoryTools()
        )

    assert reply.engine == "canned"
    assert reply.notes["fallback_reason"] == (
        "the model endpoint answered HTTP 500: "
        "The server had an error while processing your request."
    )


def test_a_refused_key_falls_back_and_says_so_without_the_key() -> None:
    with FakeOpenAI() as fake:
        engine = LlmEngine(config(fake, api_key="sk-wrong-key-123"))
        reply = FallbackEngine(engine, CannedEngine()).reply(turn("Hello"), MemoryTools())
        sent = fake.requests[0].headers["authorization"]

    assert sent == "Bearer sk-wrong-key-123"
    assert reply.engine == "canned"
    assert reply.notes["fallback_reason"] == "the model endpoint refused the API key (HTTP 401)"
    assert "sk-wrong" not in repr(engine.config)


def test_an_endpoint_that_hangs_up_or_is_not_there_falls_back() -> None:
    with FakeOpenAI() as fake:
        fake.then_hang_up()
        hung_up = FallbackEngine(LlmEngine(config(fake)), CannedEngine()).reply(
            turn("Hello"), MemoryTools()
        )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens here once it closes
    nobody = LlmConfig(f"http://127.0.0.1:{port}/v1", "fake-gpt-1", "sk-x", 2.0)
    refused = FallbackEngine(LlmEngine(nobody), CannedEngine()).reply(turn("Hello"), MemoryTools())

    assert hung_up.engine == refused.engine == "canned"
    assert hung_up.notes["fallback_reason"].startswith("the model endpoint could not be reached (")
    assert refused.notes["fallback_reason"] == (
        "the model endpoint could not be reached (ConnectionError)"
    )


def test_a_failure_after_handing_over_keeps_the_hand_over() -> None:
    tools = MemoryTools()
    with FakeOpenAI() as fake:
        fake.then_tool_calls(("hand_over", {"reason": "Complaint"}))
        fake.then_error(503, "Overloaded")
        reply = FallbackEngine(LlmEngine(config(fake)), CannedEngine()).reply(
            turn("I want to complain"), tools
        )

    assert tools.handovers == ["Complaint"]
    assert reply.engine == "canned" and reply.handoff is True
