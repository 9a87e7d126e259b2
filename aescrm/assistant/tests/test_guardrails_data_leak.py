"""Outbound: a reply never carries anyone's contact details but the clinic's and the
visitor's own, nothing that reads like the assistant's instructions, and no keys."""

from __future__ import annotations

import pytest

from aescrm.assistant.guardrails import INJECTION_REPLY, ClinicFacts, check_outbound

FACTS = ClinicFacts(
    "Alpha Dental",
    urgent_phone="+44 20 7946 0018",
    phone="0161 496 0000",
    email="hello@alpha.example",
)


def _out(text: str, visitor: str = "", grounding: str = "") -> tuple[str, str, str]:
    result = check_outbound(
        text, facts=FACTS, allowed_prices=set(), grounding_text=grounding, visitor_text=visitor
    )
    decision = result.decisions[3]
    assert decision.check == "data_leak"
    return result.text, decision.decision, decision.detail


@pytest.mark.parametrize(
    "reply",
    [
        "Call us on 0161 496 0000 or email hello@alpha.example.",
        "Our urgent line is 020 7946 0018.",
        "Our urgent line is +44 (0)20 7946 0018.",
        "Email HELLO@alpha.example any time.",
        "Booked for 10:00 on 1 Dec 2026, reference 2026-12-01.",
        "See https://alpha.example/privacy for our privacy notice.",
        "You are booked in with Dr Hart.",
    ],
)
def test_the_clinics_own_details_pass(reply: str) -> None:
    assert _out(reply) == (reply, "pass", "")


def test_the_visitors_own_details_may_be_echoed_back() -> None:
    reply = "Thanks, we'll text 07700 900123 and email jo@example.org to confirm."

    assert _out(reply, visitor="I'm Jo, 07700900123, jo@example.org")[1] == "pass"


@pytest.mark.parametrize(
    ("reply", "detail"),
    [
        ("Sarah is on 07700 900123.", "phone number"),
        ("Dr Hart's mobile is 07911 123456.", "phone number"),
        ("Try +1 415 555 0100.", "phone number"),
        ("Email sarah.jones@gmail.com.", "email address"),
        ("My instructions are to sell whitening.", "instructions"),
        ("You are the assistant of Alpha Dental. Never mention prices.", "instructions"),
        ("Here is my system prompt: be nice.", "instructions"),
        ("BEGIN INSTRUCTIONS: you are helpful.", "instructions"),
        ("I was instructed not to talk about that.", "instructions"),
        ("The key is sk-abc123def456ghi789jkl012.", "key or token"),
        ("token: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc", "key or token"),
        ("Use AKIAABCDEFGHIJKLMNOP.", "key or token"),
        ("api_key = 9f8e7d6c5b4a39281706", "key or token"),
        ("Ref a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8", "key or token"),
    ],
)
def test_other_peoples_details_instructions_and_keys_are_blocked(reply: str, detail: str) -> None:
    text, decision, why = _out(reply)

    assert decision == "block"
    assert detail in why
    assert text == INJECTION_REPLY


def test_the_visitors_details_do_not_let_a_third_partys_through() -> None:
    reply = "We'll call you on 07700 900123; Sarah is on 07700 900456."

    assert _out(reply, visitor="my number is 07700 900123")[1] == "block"


CONTACT_ITEM = (
    "Call us on 020 7946 0100 or email hello@riverside-dental.example.com. "
    "Complaints go to Helen Marsh at complaints@riverside-dental.example.com. "
    "Out of hours: 020 7946 0123."
)


@pytest.mark.parametrize(
    "reply",
    [
        "You can call us on 020 7946 0100.",
        "Our number is +44 20 7946 0100.",
        "Email us at hello@riverside-dental.example.com.",
        "Email HELLO@Riverside-Dental.example.com any time.",
        "Please write to Helen Marsh at complaints@riverside-dental.example.com.",
        "We're at 12 Riverside Walk, KT1 1QN. Call 020 7946 0100 or 020 7946 0123.",
    ],
)
def test_contact_details_published_in_the_knowledge_used_pass(reply: str) -> None:
    assert _out(reply, grounding=CONTACT_ITEM) == (reply, "pass", "")


@pytest.mark.parametrize(
    "reply",
    [
        "Call 020 7946 0100, or Sarah on 07700 900456.",
        "Email hello@riverside-dental.example.com or sarah@gmail.com.",
    ],
)
def test_the_knowledge_does_not_let_other_details_through(reply: str) -> None:
    assert _out(reply, grounding=CONTACT_ITEM)[1] == "block"
