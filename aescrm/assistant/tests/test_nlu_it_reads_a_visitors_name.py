"""Names are read from introductions, title-cased, and never from greetings or treatment words."""

import pytest

from aescrm.assistant.nlu import extract_name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("I'm Jane Smith", ("Jane", "Smith")),
        ("my name is jane smith", ("Jane", "Smith")),
        ("Jane here", ("Jane", "")),
        ("hi, Jane here", ("Jane", "")),
        ("it's Mr John O'Neil", ("John", "O'Neil")),
        ("its mrs sarah o'brien", ("Sarah", "O'Brien")),
        ("Hi my name's Priya Patel and I'd like to book", ("Priya", "Patel")),
        ("this is Anna-Marie Jones-Smith", ("Anna-Marie", "Jones-Smith")),
        ("I am Zoë Brontë, 07911 123456", ("Zoë", "Brontë")),
        ("My name is Ross McDonald", ("Ross", "McDonald")),
        ("Hello, I'm Dr Amir Khan.", ("Amir", "Khan")),
        ("name: tom", ("Tom", "")),
    ],
)
def test_it_reads_an_introduction(text, name):
    assert extract_name(text) == name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Jane Smith", ("Jane", "Smith")),
        ("jane", ("Jane", "")),
        ("sure, jane o'neil", ("Jane", "O'Neil")),
        ("Mrs Kate Lee", ("Kate", "Lee")),
        ("it's Jane", ("Jane", "")),
    ],
)
def test_a_bare_name_counts_when_the_assistant_asked_for_it(text, name):
    assert extract_name(text, expecting=True) == name


@pytest.mark.parametrize("text", ["Jane Smith", "jane"])
def test_a_bare_name_does_not_count_out_of_the_blue(text):
    assert extract_name(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "yes",
        "hi",
        "botox",
        "lip filler",
        "07911 123456",
        "jane@example.com",
        "I'm interested in invisalign",
        "I'm looking for a dentist",
        "I'm 16",
        "I'm not sure",
        "it's too expensive",
        "I'm free on tuesday",
        "this is urgent",
        "hello there",
        "yes please",
        "tomorrow morning",
        "how much is it",
    ],
)
def test_it_takes_no_ordinary_words_as_a_name(text):
    assert extract_name(text, expecting=True) is None
    assert extract_name(text) is None
