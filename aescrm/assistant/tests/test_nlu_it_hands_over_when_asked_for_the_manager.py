"""Asking for the manager, a supervisor or someone in charge is asking for a person."""

from __future__ import annotations

import pytest

from aescrm.assistant.nlu import classify


@pytest.mark.parametrize(
    "text",
    [
        "this bot is useless, put me through to the manager NOW",
        "get me your supervisor please",
        "i want to speak to the practice manager",
        "let me speak to someone in charge",
        "can you pass this to the clinic manager",
    ],
)
def test_asking_for_the_manager_is_asking_for_a_person(text: str) -> None:
    assert classify(text).intent in ("human", "complaint")


@pytest.mark.parametrize(
    "text",
    ["who is the practice manager", "is the manager called Helen"],
)
def test_asking_about_the_manager_is_not_a_handover(text: str) -> None:
    assert classify(text).intent not in ("human",)
