"""A visitor who names a prescription-only medicine (a toxin brand, slang for it, a weight-loss
jab, filler dissolving) is flagged on the way in, so the transcript shows staff what was asked;
the flag does not replace the reply, and the reply still names no medicine."""

from __future__ import annotations

from typing import Any

import pytest

from aescrm.assistant.guardrails import ClinicFacts, check_inbound
from aescrm.assistant.tests.support import Visit, decisions, stock

FACTS = ClinicFacts("Alpha Dental", urgent_phone="020 7946 0018")


def _flag(message: str) -> str:
    result = check_inbound(message, facts=FACTS)
    found = {d.check: d for d in result.decisions}["prescription_medicine"]
    assert found.stage == "in"
    return found.decision


@pytest.mark.parametrize(
    "message",
    [
        "how much is botox",
        "do u use dysport or azzalure, which ones cheaper",
        "Could I get Bocouture for my frown lines please",
        "xeomin price for 3 areas?",
        "thinking of getting baby botox before my wedding",
        "can i get ozempic from you for weight loss",
        "do yous do the mounjaro jabs?",
        "can you dissolve my lip filler with hyalase",
    ],
)
def test_a_named_prescription_medicine_is_flagged(message: str) -> None:
    assert _flag(message) == "flag"


@pytest.mark.parametrize(
    "message",
    [
        "how much is profhilo?",
        "do you do skin boosters",
        "I'd like an anti-wrinkle consultation",
        "how much is lip filler",
    ],
)
def test_treatments_that_are_no_prescription_medicine_pass(message: str) -> None:
    assert _flag(message) == "pass"


def test_the_flag_alone_does_not_replace_the_reply() -> None:
    result = check_inbound("how much is botox", facts=FACTS)

    assert (result.outcome, result.reply) == (None, "")


@pytest.mark.django_db
def test_the_chat_records_the_flag_and_never_says_the_brand(clinic_a: Any) -> None:
    stock(clinic_a.clinic)
    visit = Visit(clinic_a.clinic)

    answer = visit.say("how much is botox")

    assert "botox" not in answer["reply"].lower()
    assert "prescriber" in answer["reply"]
    assert decisions(visit.turns()[0])["prescription_medicine"] == "flag"
