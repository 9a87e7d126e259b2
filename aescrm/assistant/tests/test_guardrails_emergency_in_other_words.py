"""The emergencies the issue lists, put in words the first patterns missed: breath that
cannot be got, a tongue that "feels huge", blood "pumping" from a socket, an abscess with
"a high temp"; ordinary messages that share a word with them stay ordinary."""

from __future__ import annotations

import pytest

from aescrm.assistant.guardrails import ClinicFacts, check_inbound

FACTS = ClinicFacts("Alpha Dental", urgent_phone="020 7946 0018")


@pytest.mark.parametrize(
    ("message", "level"),
    [
        ("my girlfriends face is swelling up and she cant get her breath after her jab", "999"),
        ("its getting harder to breathe since my filler", "999"),
        ("tongue feels huge and tingly after the dentist numbed me", "999"),
        ("my throat feels twice the size after the injection", "999"),
        ("extraction site still pumping blood 5 hours later", "111"),
        ("abscess on my gum and ive got a high temp", "111"),
        ("bad tooth, cheek swollen and im shivery", "111"),
        ("EMERGENCY my face is swelling after filler", "111"),
    ],
)
def test_it_is_an_emergency(message: str, level: str) -> None:
    result = check_inbound(message, facts=FACTS)

    assert result.outcome == "emergency"
    assert result.alert_staff and result.handoff
    assert {d.check: d for d in result.decisions}["emergency"].detail.startswith(level)


@pytest.mark.parametrize(
    "message",
    [
        "my nose is running and my gum is bleeding a little when i brush",
        "is my temp job a problem for booking",
        "my tongue feels fine now thanks",
        "emergency appointment please, lost a filling",
        "my wallet says this is an emergency haha, how much is whitening",
    ],
)
def test_an_ordinary_message_is_not(message: str) -> None:
    assert check_inbound(message, facts=FACTS).outcome != "emergency"
