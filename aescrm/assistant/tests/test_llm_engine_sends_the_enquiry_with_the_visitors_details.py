"""The model sends the visitor's booking request with the details they gave, checked first."""

from __future__ import annotations

from aescrm.assistant.engines.llm import LlmEngine
from aescrm.assistant.tests.llm_support import MemoryTools, config, tool_results, turn
from aescrm.testing.fakes.openai import FakeOpenAI

DETAILS = {
    "first_name": "Grace",
    "last_name": "Hopper",
    "phone": "07700 900461",
    "email": " Grace@Example.com ",
    "treatment": "Anti-wrinkle treatment (three areas)",
    "preferred_time": "Tue 2 Jun, 10:00",
    "consent_sms": True,
    "consent_email": False,
    "over_18": True,
    "message": "Forehead lines, first time",
}


def test_it_creates_the_enquiry_with_the_captured_details() -> None:
    tools = MemoryTools()
    message = turn("Yes, Tuesday at 10 please. I'm Grace Hopper, 07700 900461, texts are fine.")
    with FakeOpenAI() as fake:
        fake.then_tool_calls(("create_enquiry", DETAILS))
        fake.then_content("Thank you, Grace. The team will text you to confirm Tuesday at 10:00.")
        reply = LlmEngine(config(fake)).reply(message, tools)
        results = tool_results(fake.bodies()[1])

    [(details, text)] = tools.enquiries
    assert details.first_name == "Grace" and details.last_name == "Hopper"
    assert details.phone == "+447700900461"
    assert details.email == "grace@example.com"
    assert details.treatment_id == "t-aw"
    assert details.preferred_time == "Tue 2 Jun, 10:00"
    assert details.consent == {"sms": True, "email": False}
    assert "Alpha Aesthetics" in details.consent_wording
    assert details.adult is True
    assert text == "Forehead lines, first time"
    assert message.state["enquiry_id"] == "enquiry-1"
    assert results == [{"status": "sent; tell the visitor the team will contact them to confirm"}]
    assert reply.intent == "booking"
    assert reply.notes["tool_calls"] == ["create_enquiry"]


def test_it_sends_bad_details_back_to_the_model_and_no_enquiry() -> None:
    tools = MemoryTools()
    with FakeOpenAI() as fake:
        fake.then_tool_calls(
            ("create_enquiry", {**DETAILS, "phone": "12", "email": ""}),
            ("create_enquiry", {**DETAILS, "phone": "", "email": ""}),
            ("create_enquiry", {**DETAILS, "over_18": None}),
            ("create_enquiry", {**DETAILS, "over_18": False}),
            ("create_enquiry", {**DETAILS, "consent_sms": "yes"}),
            ("create_enquiry", {**DETAILS, "first_name": 7}),
        )
        fake.then_content("Could you check your phone number, please?")
        LlmEngine(config(fake)).reply(turn("Book me in"), tools)
        results = tool_results(fake.bodies()[1])

    assert results == [
        {
            "error": "'12' is not a possible phone number for GB or its country code; "
            "ask the visitor to check it"
        },
        {"error": "ask for a phone number or an email address first"},
        {"error": "this treatment is for adults only: ask whether they are 18 or over"},
        {"error": "this treatment is for adults only: do not book it for anyone under 18"},
        {"error": "consent_sms must be true or false"},
        {"error": "first_name must be a string"},
    ]
    assert tools.enquiries == []


def test_it_sends_one_enquiry_per_chat() -> None:
    tools = MemoryTools()
    with FakeOpenAI() as fake:
        fake.then_tool_calls(("create_enquiry", DETAILS))
        fake.then_content("The team already has your request.")
        LlmEngine(config(fake)).reply(turn("Did you get it?", enquiry_id="enquiry-9"), tools)
        results = tool_results(fake.bodies()[1])

    assert tools.enquiries == []
    assert results == [{"status": "already sent in this chat; do not send it again"}]
