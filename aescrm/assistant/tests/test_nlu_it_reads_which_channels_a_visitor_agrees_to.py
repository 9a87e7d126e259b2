"""consent_channels() reads the answer to "news and offers by SMS, email, both or no thanks?";
a name given with an email or number after it is still read as the name."""

import pytest

from aescrm.assistant.nlu import consent_channels, extract_name

BOTH = {"sms": True, "email": True}
SMS = {"sms": True, "email": False}
EMAIL = {"sms": False, "email": True}
NONE = {"sms": False, "email": False}


@pytest.mark.parametrize(
    ("text", "channels"),
    [
        ("texts are fine", SMS),
        ("text me", SMS),
        ("by text is ok", SMS),
        ("sms please", SMS),
        ("happy to get texts", SMS),
        ("emails only", EMAIL),
        ("just email please", EMAIL),
        ("email's fine but no texts", EMAIL),
        ("don't text me, email is ok", EMAIL),
        ("either is fine", BOTH),
        ("whatever's easiest", BOTH),
        ("both please", BOTH),
        ("don't mind", BOTH),
        ("yes please", BOTH),
        ("no thanks", NONE),
        ("neither thanks", NONE),
        ("no marketing please", NONE),
        ("nah", NONE),
    ],
)
def test_it_reads_the_channels(text, channels):
    assert consent_channels(text) == channels


@pytest.mark.parametrize("text", ["what time do you open", "Tom Fletcher", "07700 900123"])
def test_something_else_is_no_answer(text):
    assert consent_channels(text) is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Emma Watson, emma.watson@example.com", ("Emma", "Watson")),
        ("sarah jones - 07700 900222", ("Sarah", "Jones")),
        ("Dev Patel dev.patel@example.com", ("Dev", "Patel")),
        ("Mary-Jane O'Neill; 07700 900874", ("Mary-Jane", "O'Neill")),
    ],
)
def test_a_name_with_contact_details_after_it_is_the_name(text, name):
    assert extract_name(text, expecting=True) == name


def test_a_bare_email_is_not_a_name():
    assert extract_name("emma.watson@example.com", expecting=True) is None
