"""Short answers: yes or no to a question, and the age of the person to be treated."""

import pytest

from aescrm.assistant.nlu import extract_age, yes_no


@pytest.mark.parametrize(
    "text",
    ["yes please", "Yes", "yep", "yeah go on", "sure", "ok", "OK!", "okay then", "that's fine",
     "sounds good", "absolutely", "y", "go ahead", "yes I am", "of course", "correct", "👍"],
)  # fmt: skip
def test_it_reads_a_yes(text):
    assert yes_no(text) is True


@pytest.mark.parametrize(
    "text",
    ["no thanks", "No", "nope", "nah", "rather not", "I'd rather not", "no thank you",
     "not really", "I don't", "no, I'm not", "not today thanks"],
)  # fmt: skip
def test_it_reads_a_no(text):
    assert yes_no(text) is False


@pytest.mark.parametrize(
    "text", ["maybe", "not sure", "how much is it", "what do you mean", "", "I don't know"]
)
def test_it_reads_neither_from_anything_else(text):
    assert yes_no(text) is None


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("I'm 16", 16),
        ("I am 17 years old", 17),
        ("aged 15", 15),
        ("my 16 year old daughter wants lip filler", 16),
        ("she's 15", 15),
        ("I'm seventeen", 17),
        ("i am 34", 34),
        ("17yo", 17),
        ("age 19", 19),
    ],
)
def test_it_reads_an_age(text, age):
    assert extract_age(text) == age


@pytest.mark.parametrize(
    "text",
    ["I'm 16 weeks pregnant", "at 10am", "I'm 5 minutes away", "how much for 2ml", "hello", "16"],
)
def test_it_reads_no_age_from_other_numbers(text):
    assert extract_age(text) is None
