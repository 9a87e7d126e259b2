""" "Does it hurt?" is a question the clinic answers for everyone; "will it hurt? I'm a wimp
with needles" asks how it will be for this visitor, with their fear or pain threshold, which
is for a clinician at a consultation."""

from __future__ import annotations

import pytest

from aescrm.assistant.guardrails import ClinicFacts, check_inbound
from aescrm.assistant.guardrails.medical import detect_medical_question

FACTS = ClinicFacts("Alpha Dental", urgent_phone="020 7946 0018")


@pytest.mark.parametrize(
    "message",
    [
        "will lip filler hurt?? im such a wimp with needles haha",
        "im really nervous, will it hurt",
        "I have a needle phobia, how painful is whitening",
        "low pain threshold here - is the peel sore?",
        "terrified of the dentist, will the implant hurt",
    ],
)
def test_pain_asked_with_their_own_fear_is_for_a_clinician(message: str) -> None:
    assert detect_medical_question(message) == "pain for them personally"
    result = check_inbound(message, facts=FACTS)
    assert result.outcome == "medical"
    assert "consultation" in result.reply


@pytest.mark.parametrize(
    "message",
    [
        "does it hurt?",
        "does whitening hurt",
        "is the treatment painful",
        "how much does the consultation cost, im nervous",
        "a bit nervous about my first visit, what time do you open",
    ],
)
def test_a_general_pain_question_or_nerves_alone_pass(message: str) -> None:
    assert detect_medical_question(message) is None
