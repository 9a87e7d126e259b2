""" "Hi, I'd like a new patient examination on Thursday" is a booking: a greeting first, or
words between "I'd like" and the kind of visit, do not hide it."""

from __future__ import annotations

import pytest

from aescrm.assistant.nlu import classify


@pytest.mark.parametrize(
    "text",
    [
        "Hi I'd like a new patient examination on Thursday evening after work",
        "hello, i need a routine dental check please",
        "I would like a quick hygienist appointment",
        "could i have an implant consultation",
    ],
)
def test_it_is_a_booking(text: str) -> None:
    assert classify(text).intent == "booking"


def test_a_greeting_alone_is_small_talk() -> None:
    assert classify("hiya").intent == "small_talk"
