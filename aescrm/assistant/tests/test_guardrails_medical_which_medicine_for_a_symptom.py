""" "What's the best painkiller for toothache?" asks which medicine to take: that is for a
pharmacist, GP or dentist, not the website assistant."""

from __future__ import annotations

import pytest

from aescrm.assistant.guardrails.medical import detect_medical_question


@pytest.mark.parametrize(
    "message",
    [
        "whats the best painkiller for toothache",
        "which antibiotics should i get for my tooth",
        "any cream for a cold sore i can use",
        "what's the strongest pain relief for a wisdom tooth",
    ],
)
def test_it_is_medical(message: str) -> None:
    assert detect_medical_question(message) is not None


@pytest.mark.parametrize(
    "message",
    [
        "what's the best time to come in",
        "which treatment is the most popular",
        "do you sell whitening gel",
    ],
)
def test_other_best_or_which_questions_are_not(message: str) -> None:
    assert detect_medical_question(message) is None
