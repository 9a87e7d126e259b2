"""The model offers only the free times the diary has, found through the find_slots tool."""

from __future__ import annotations

import datetime as dt

from aescrm.assistant.engines.llm import LlmEngine
from aescrm.assistant.tests.llm_support import ANTI_WRINKLE, MemoryTools, config, tool_results, turn
from aescrm.testing.fakes.openai import FakeOpenAI


def test_it_offers_the_diarys_free_slots_and_remembers_them() -> None:
    tools = MemoryTools()
    message = turn("Can I have anti-wrinkle next Tuesday or Wednesday?")
    with FakeOpenAI() as fake:
        fake.then_tool_calls(
            (
                "find_slots",
                {"treatment": "anti wrinkle", "from_date": "2026-06-02", "to_date": "2026-06-03"},
            )
        )
        fake.then_content("I can offer Tuesday 2 June at 10:00 or 11:30. Which suits you?")
        reply = LlmEngine(config(fake)).reply(message, tools)
        second = fake.bodies()[1]

    # Local dates in British Summer Time: midnight to midnight London time, in UTC.
    assert tools.slot_queries == [
        (
            "t-aw",
            dt.datetime(2026, 6, 1, 23, 0, tzinfo=dt.UTC),
            dt.datetime(2026, 6, 3, 23, 0, tzinfo=dt.UTC),
        )
    ]
    assert tool_results(second) == [
        [
            {"label": "Tue 2 Jun, 10:00", "starts_at": "2026-06-02T10:00:00+01:00"},
            {"label": "Tue 2 Jun, 11:30", "starts_at": "2026-06-02T11:30:00+01:00"},
        ]
    ]
    assert message.state["offers"] == [
        {
            "treatment_id": "t-aw",
            "practitioner_id": "p-1",
            "practitioner_name": "Dr Ada Lovelace",
            "starts_at": "2026-06-02T09:00:00+00:00",
            "label": "Tue 2 Jun, 10:00",
        },
        {
            "treatment_id": "t-aw",
            "practitioner_id": "p-1",
            "practitioner_name": "Dr Ada Lovelace",
            "starts_at": "2026-06-02T10:30:00+00:00",
            "label": "Tue 2 Jun, 11:30",
        },
    ]
    assert reply.intent == "booking"
    assert reply.quick_replies == ["Tue 2 Jun, 10:00", "Tue 2 Jun, 11:30"]
    assert reply.knowledge == [ANTI_WRINKLE] and reply.allowed_prices == {19900}


def test_it_tells_the_model_when_it_names_a_treatment_the_clinic_does_not_offer() -> None:
    tools = MemoryTools()
    message = turn("Do you do tattoo removal on Tuesday?")
    with FakeOpenAI() as fake:
        fake.then_tool_calls(
            (
                "find_slots",
                {"treatment": "tattoo removal", "from_date": "2026-06-02", "to_date": "2026-06-02"},
            ),
            ("find_slots", {"treatment": "hygienist", "from_date": "2 June", "to_date": "x"}),
            (
                "find_slots",
                {"treatment": "hygienist", "from_date": "2026-05-01", "to_date": "2026-05-02"},
            ),
        )
        fake.then_content("Sorry, we do not offer tattoo removal.")
        reply = LlmEngine(config(fake)).reply(message, tools)
        results = tool_results(fake.bodies()[1])

    assert results == [
        {
            "error": "no treatment called 'tattoo removal'; the clinic's treatments are: "
            "Anti-wrinkle treatment (three areas), Hygienist visit"
        },
        {"error": "from_date must be a date as YYYY-MM-DD, not '2 June'"},
        {"error": "those dates are in the past"},
    ]
    assert tools.slot_queries == [] and "offers" not in message.state
    assert reply.text == "Sorry, we do not offer tattoo removal."
