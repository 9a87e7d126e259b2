"""Inbound: a question about a prescription-only medicine (toxin brands, the weight-loss
injections, hyaluronidase to dissolve filler) is recognised however it is put, and the reply
names and compares none of them and points to a prescriber."""

from __future__ import annotations

import pytest

from aescrm.assistant.guardrails import (
    ANTI_WRINKLE,
    FILLER_DISSOLVING,
    WEIGHT_LOSS,
    ClinicFacts,
    check_inbound,
    prescription_medicine_enquiry,
    prescription_medicine_reply,
)

QUESTIONS = [
    ("Do you use Bocouture or Xeomin? I had a reaction to another brand before", ANTI_WRINKLE),
    ("need my tox topping up asap its wearing off lol", ANTI_WRINKLE),
    ("which is better dysport or azzalure?", ANTI_WRINKLE),
    ("do u do bottox x", ANTI_WRINKLE),
    ("do you do the skinny jab? mounjaro or ozempic whichever's cheaper", WEIGHT_LOSS),
    ("how much is wegovy", WEIGHT_LOSS),
    ("can i get saxenda here", WEIGHT_LOSS),
    ("do you do weight loss injections", WEIGHT_LOSS),
    ("fat jabs?", WEIGHT_LOSS),
    ("is semaglutide or tirzepatide better", WEIGHT_LOSS),
    ("whats a glp-1 jab", WEIGHT_LOSS),
    ("can you dissolve my lip filler from another place with hyalase? hate it", FILLER_DISSOLVING),
    ("how much is hyaluronidase", FILLER_DISSOLVING),
    ("do you do filler dissolving", FILLER_DISSOLVING),
    ("i want my tear trough filler removed", FILLER_DISSOLVING),
    ("can you get rid of my old lip filler", FILLER_DISSOLVING),
]


@pytest.mark.parametrize(("message", "kind"), QUESTIONS)
def test_questions_about_prescription_only_medicines_are_recognised(
    message: str, kind: str
) -> None:
    assert prescription_medicine_enquiry(message) == kind


@pytest.mark.parametrize(
    "message",
    [
        "how much is lip filler",
        "do you do teeth whitening",
        "can i book a hygienist appointment",
        "do you do a detox facial",
        "i need a filling removed",
        "do you do weight loss advice",
    ],
)
def test_other_treatments_are_not_prescription_medicine_questions(message: str) -> None:
    assert prescription_medicine_enquiry(message) is None


@pytest.mark.parametrize("message", [q for q, _ in QUESTIONS])
def test_such_a_question_is_no_inbound_safety_decision(message: str) -> None:
    # The engine answers it; only the outbound check renames what a reply names.
    result = check_inbound(message, facts=ClinicFacts("Alpha Dental"))

    assert result.outcome is None


NAMES = ("botox", "bocouture", "xeomin", "mounjaro", "ozempic", "wegovy", "hyalase", "dysport")


@pytest.mark.parametrize("kind", [ANTI_WRINKLE, WEIGHT_LOSS, FILLER_DISSOLVING])
@pytest.mark.parametrize("offered", [True, False])
def test_the_reply_names_no_medicine_and_points_to_a_prescriber(kind: str, offered: bool) -> None:
    reply = prescription_medicine_reply(kind, offered=offered)

    assert "prescription-only medicine" in reply
    assert "prescriber" in reply or "GP" in reply
    assert not any(name in reply.lower() for name in NAMES)
    assert "£" not in reply
    if offered:
        assert "consultation" in reply
    else:
        assert "don't offer" in reply


@pytest.mark.parametrize(
    "message",
    [
        "i'm on a GLP-1, can i still have filler",
        "im taking mounjaro, is botox ok",
        "i use saxenda, can i have lip filler",
    ],
)
def test_taking_one_and_asking_about_a_treatment_is_a_medical_question(message: str) -> None:
    assert check_inbound(message, facts=ClinicFacts("Alpha Dental")).outcome == "medical"
