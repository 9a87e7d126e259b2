"""Asked for their name, "Gemma Price" or "Sarah Young" is a name, though "price" and
"young" are words too; "Next Week" or "Lip Filler" is not."""

from __future__ import annotations

import pytest

from aescrm.assistant.nlu import extract_name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Gemma Price, gemma.price@example.com", ("Gemma", "Price")),
        ("Sarah Young", ("Sarah", "Young")),
        ("Jack Fee 07700 900111", ("Jack", "Fee")),
    ],
)
def test_a_capitalised_surname_that_is_a_word_is_read(text: str, name: tuple[str, str]) -> None:
    assert extract_name(text, expecting=True) == name


@pytest.mark.parametrize(
    "text", ["Next Week", "Lip Filler", "Saturday Morning", "Yes Please", "gemma price"]
)
def test_words_that_are_no_name_are_not(text: str) -> None:
    assert extract_name(text, expecting=True) is None


def test_unasked_it_is_still_no_name() -> None:
    assert extract_name("Gemma Price") is None
