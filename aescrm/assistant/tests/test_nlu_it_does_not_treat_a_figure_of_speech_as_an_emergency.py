""" "My bank balance is the real emergency, how much is invisalign" is a price question, and
"not an emergency but…" is no emergency; a real one still is, whatever else it says."""

from __future__ import annotations

import pytest

from aescrm.assistant.guardrails import ClinicFacts, check_inbound
from aescrm.assistant.nlu import classify

FACTS = ClinicFacts("Alpha Dental", urgent_phone="020 7946 0018")


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("lol my bank balance is the real emergency, how much is invisalign", "pricing"),
        ("my wallet says this is an emergency haha, how much is whitening", "pricing"),
        ("its a hair emergency lol, do you do anything for brows? how much", "pricing"),
        ("not an emergency but can i book a check up this week", "booking"),
        ("no rush, not urgent, can i book the hygienist next week", "booking"),
    ],
)
def test_a_figure_of_speech_or_a_denial_is_not_an_emergency(text: str, intent: str) -> None:
    guess = classify(text)

    assert guess.intent == intent
    assert check_inbound(text, facts=FACTS).outcome is None


@pytest.mark.parametrize(
    "text",
    [
        "emergency! my face is swelling after filler",
        "urgent help needed, my throat is closing up",
        "not sure if its an emergency but i cant breathe properly",
        "no emergency dentist near me and my face is swelling and i have a fever",
    ],
)
def test_a_real_emergency_still_is(text: str) -> None:
    assert check_inbound(text, facts=FACTS).outcome == "emergency"
