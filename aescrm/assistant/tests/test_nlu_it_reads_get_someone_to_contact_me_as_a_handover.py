""" "Can you get someone to email me" asks for a person, like "can someone call me"."""

from __future__ import annotations

import pytest

from aescrm.assistant.nlu import classify


@pytest.mark.parametrize(
    "text",
    [
        "can you get someone to email me",
        "please have somebody ring me back",
        "ask the team to call me",
        "could you get reception to text me",
    ],
)
def test_it_is_a_handover(text: str) -> None:
    assert classify(text).intent == "human"
