"""own_age() reads the age a visitor volunteers about themselves ("anti-wrinkle please, I'm
45"), and nothing when the message speaks of someone else, who may be the one treated."""

from __future__ import annotations

import pytest

from aescrm.assistant.nlu import own_age


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("I'd like to book an anti-wrinkle consultation please, I'm 45", 45),
        ("book me in for teeth whitening on saturday? im 31", 31),
        ("yeah im 23", 23),
        ("Im thirty btw", 30),
        ("just turned 18 so can i get lip filler", 18),
        ("im 17", 17),
    ],
)
def test_it_reads_their_own_age(text: str, age: int) -> None:
    assert own_age(text) == age


@pytest.mark.parametrize(
    "text",
    [
        "my daughter is 16, im 45",
        "book lip filler for my sister, I'm 30",
        "I am 20 weeks pregnant",
        "i'm 5 minutes away",
        "how much is lip filler",
    ],
)
def test_someone_else_or_a_number_that_is_no_age_gives_none(text: str) -> None:
    assert own_age(text) is None
