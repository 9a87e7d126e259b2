"""Email addresses and UK phone numbers are read from what the visitor typed, in any usual form."""

import pytest

from aescrm.assistant.nlu import extract_email, extract_phone


@pytest.mark.parametrize(
    ("text", "email"),
    [
        ("jane.smith@example.com", "jane.smith@example.com"),
        ("My email is Jane.Smith@Example.co.uk, thanks!", "jane.smith@example.co.uk"),
        (
            "you can reach me on j_o'neil+clinic@mail.example.org.",
            "j_o'neil+clinic@mail.example.org",
        ),
        ("email: (sam@example.com)", "sam@example.com"),
    ],
)
def test_it_reads_an_email_inside_a_sentence(text, email):
    assert extract_email(text) == email


@pytest.mark.parametrize(
    "text", ["no email sorry", "jane at example dot com", "jane@", "@example.com", "a@b", ""]
)
def test_it_reads_no_email_when_there_is_none(text):
    assert extract_email(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "07911 123456",
        "07911 123 456",
        "07911123456",
        "+44 7911 123456",
        "+447911123456",
        "0044 7911 123456",
        "+44 (0)7911 123456",
        "(07911) 123-456",
        "my mobile is 07911 123456 thanks",
        "call me on 07911.123.456 after 5",
    ],
)
def test_it_reads_a_uk_mobile_in_any_usual_form(text):
    assert extract_phone(text) == "+447911123456"


def test_it_reads_landlines_and_the_drama_range_used_in_training():
    assert extract_phone("it's 020 7946 0018") == "+442079460018"
    # Ofcom's drama range is "possible" but not "valid"; the house accepts it (decision 0004).
    assert extract_phone("07700 900123") == "+447700900123"


@pytest.mark.parametrize(
    "text",
    [
        "no thanks",
        "3/12 at 10",
        "it cost £2500",
        "my booking ref is 123456",
        "07911",
        "jane@example.com",
        "",
    ],
)
def test_it_reads_no_phone_number_when_there_is_none(text):
    assert extract_phone(text) is None
