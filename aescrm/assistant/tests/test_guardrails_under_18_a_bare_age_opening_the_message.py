""" "sixteen, can i book anti wrinkle": an age that opens the message, followed by what they
want, is the visitor's age."""

from __future__ import annotations

import pytest

from aescrm.assistant.guardrails.age import stated_under_18


@pytest.mark.parametrize(
    "message",
    [
        "sixteen, can i book anti wrinkle",
        "16 and want lip filler",
        "17 btw, how much is whitening",
    ],
)
def test_an_opening_age_is_read(message: str) -> None:
    assert stated_under_18(message) is not None


@pytest.mark.parametrize(
    "message",
    [
        "16 weeks pregnant can i have whitening",
        "2 can i book for two people",
        "21, can i book lip filler",
    ],
)
def test_a_number_that_is_no_age_or_an_adult_age_is_not(message: str) -> None:
    assert stated_under_18(message) is None
