""" "What should I avoid after filler?" is the clinic's aftercare sheet, answered for everyone;
with the visitor's own symptom or condition it is still for a clinician."""

from __future__ import annotations

import pytest

from aescrm.assistant.guardrails.medical import detect_medical_question


@pytest.mark.parametrize(
    "message",
    [
        "what should i avoid after filler",
        "what should i avoid after my lip filler",
        "what should i not do after whitening",
        "anything i should avoid before my peel",
    ],
)
def test_general_aftercare_passes(message: str) -> None:
    assert detect_medical_question(message) is None


@pytest.mark.parametrize(
    "message",
    [
        "what should i avoid after filler, my lip is lumpy",
        "what should i avoid before whitening if im pregnant",
    ],
)
def test_with_their_own_symptom_or_condition_it_is_medical(message: str) -> None:
    assert detect_medical_question(message) is not None
