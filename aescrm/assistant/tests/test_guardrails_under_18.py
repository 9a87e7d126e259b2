"""Under-18s: the message flags the conversation (no refusal by itself); anti-wrinkle
injections and fillers are refused to them under the Botulinum Toxin and Cosmetic Fillers
(Children) Act 2021, and tooth whitening under the cosmetic products rules (hydrogen
peroxide over 0.1% is not for under-18s)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from aescrm.assistant.guardrails import (
    ClinicFacts,
    age_check_before_booking,
    check_inbound,
    restricted_under_18,
    under_18_refusal,
)

FACTS = ClinicFacts("Alpha Dental")

UNDER_18 = [
    ("I'm 16", "16"),
    ("im 16 can i get lip filler", "16"),
    ("I am 17", "17"),
    ("i'm only 15", "15"),
    ("for my 15 year old daughter", "15"),
    ("booking for my 13-year-old", "13"),
    ("my daughter is 14", "14"),
    ("she's 15", "15"),
    ("my son, aged 12, needs a check up", "12"),
    ("15yo", "15"),
    ("16 y/o", "16"),
    ("im sixteen", "16"),
    ("age 16", "16"),
    ("I just turned 17", "17"),
]


@pytest.mark.parametrize(("message", "age"), UNDER_18)
def test_a_stated_age_under_18_flags_the_conversation(message: str, age: str) -> None:
    result = check_inbound(message, facts=FACTS)

    assert result.under_18 is True
    assert result.decisions[3].check == "under_18"
    assert result.decisions[3].decision == "flag"
    assert result.decisions[3].detail == f"age {age} mentioned"
    assert result.outcome is None  # a 16-year-old may still book a check-up
    assert result.reply == ""


@pytest.mark.parametrize(
    "message", ["im under 18", "I'm not 18 yet", "I'm a minor", "i'm in year 11"]
)
def test_saying_under_18_without_a_number_flags_it_too(message: str) -> None:
    assert check_inbound(message, facts=FACTS).under_18 is True


ADULT_OR_NO_AGE = [
    "I'm 18",
    "I'm 45",
    "I'm 18 years old",
    "im 30 and want botox",
    "my daughter is 21",
    "im 16 weeks pregnant",
    "i'm 5 minutes away",
    "I need 2 fillings",
    "can i book for 3 people",
    "i have 3 kids",
    "are you open at 10",
    "how much is 1ml",
    "book for 16 december",
    "my 2 front teeth",
    "is it £250 for 3 areas",
]


@pytest.mark.parametrize("message", ADULT_OR_NO_AGE)
def test_adults_and_other_numbers_pass(message: str) -> None:
    result = check_inbound(message, facts=FACTS)

    assert result.under_18 is False
    assert result.decisions[3].decision == "pass"


@pytest.mark.parametrize(
    ("name", "category", "pom", "restricted"),
    [
        ("Botulinum toxin, three areas", "Aesthetic", True, True),
        ("Anti-wrinkle injections (consultation first)", "Aesthetic", False, True),
        ("Botox", "", False, True),
        ("Dermal filler (lips, 1 ml)", "Aesthetic", False, True),
        ("Lip enhancement", "", False, True),
        ("Tear trough filler", "", False, True),
        ("Skin booster", "Aesthetic", False, True),
        ("Profhilo", "", False, True),
        ("Anything", "Injectables", False, True),
        ("Chemical peel", "Aesthetic", False, False),
        ("Laser hair removal (small area)", "Aesthetic", False, False),
        ("Teeth whitening (home kit)", "Dental cosmetic", False, True),
        ("Tooth whitening", "", False, True),
        ("In-chair whitening", "Dental cosmetic", False, True),
        ("Enlighten whitening", "", False, True),
        ("Whitening", "Dental cosmetic", False, True),
        ("Scale and polish", "Dental", False, False),
        ("Veneers (porcelain, per tooth)", "Dental cosmetic", False, False),
        ("New patient examination", "Dental", False, False),
        ("Hygienist appointment", "Dental", False, False),
        ("Composite bonding (per tooth)", "Dental cosmetic", False, False),
        ("Clear aligners (Invisalign) course", "Orthodontic", False, False),
    ],
)
def test_toxin_fillers_and_whitening_are_restricted_for_under_18s(
    name: str, category: str, pom: bool, restricted: bool
) -> None:
    assert restricted_under_18(name, category, pom) is restricted


def test_the_refusal_is_kind_clear_and_offers_other_help() -> None:
    text = under_18_refusal("Dermal filler (lips, 1 ml)")

    assert "Dermal filler (lips, 1 ml)" in text
    assert "under 18" in text
    assert "law" in text
    assert "check-up" in text  # other help
    assert "parent" in text  # consent does not change it


@pytest.mark.parametrize(
    "name", ["Dermal filler (lips, 1 ml)", "Anti-wrinkle injections", "Skin booster"]
)
def test_toxin_and_filler_refusals_name_the_2021_act(name: str) -> None:
    text = under_18_refusal(name)

    assert "18" in text
    assert "Act of 2021" in text and "anti-wrinkle injections and fillers" in text
    assert "hydrogen peroxide" not in text


@pytest.mark.parametrize(
    "name", ["Teeth whitening", "Teeth whitening (home kit)", "Tooth whitening", "Whitening"]
)
def test_the_whitening_refusal_names_the_cosmetic_products_rules(name: str) -> None:
    text = under_18_refusal(name)

    assert "18" in text
    assert name in text
    assert "hydrogen peroxide" in text and "cosmetic products" in text
    assert "2021" not in text and "anti-wrinkle" not in text
    assert "parent" in text and "check-up" in text


def test_the_refusal_always_names_18_even_without_a_treatment_name() -> None:
    assert "under 18" in under_18_refusal("")


@pytest.mark.parametrize(
    ("name", "category", "pom", "ask"),
    [
        ("Botulinum toxin, three areas", "Aesthetic", True, True),
        ("Anti-wrinkle injections", "Aesthetic", False, True),
        ("Dermal filler (lips, 1 ml)", "Aesthetic", False, True),
        ("Skin booster", "Aesthetic", False, True),
        ("Teeth whitening (home kit)", "Dental cosmetic", False, False),
        ("Tooth whitening", "", False, False),
        ("Hygienist appointment", "Dental", False, False),
    ],
)
def test_only_toxin_and_fillers_need_the_age_confirmed_before_booking(
    name: str, category: str, pom: bool, ask: bool
) -> None:
    assert age_check_before_booking(name, category, pom) is ask


# A date of birth, reckoned on the day of the message (the suite's Monday 30 November 2026).
NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Europe/London"))

BORN_UNDER_18 = [
    "hiya can i book cheek filler, my dob is 03/05/2010",
    "my DOB: 3/5/2010",
    "d.o.b 03.05.09",
    "date of birth 2009-05-03",
    "born in 2010",
    "I was born in 2011",
    "born 3rd May 2009",
    "i was born on the 3rd of may 2009",
    "born may 3rd, 2009",
    "my daughter was born in december 2008",
    "born in '09",
    "my birthday is 12/12/2008",
    "Tom Hughes, dob 12/04/2012, 07700 900912",
    # the year alone: born in 2008 may still be 17 on 30 November 2026
    "born 2008",
]


@pytest.mark.parametrize("message", BORN_UNDER_18)
def test_a_date_of_birth_under_18_flags_the_conversation(message: str) -> None:
    result = check_inbound(message, facts=FACTS, now=NOW)

    assert result.under_18 is True
    assert result.decisions[3].detail.startswith("date of birth: under 18")
    assert result.outcome is None


BORN_ADULT_OR_NOT_A_BIRTH = [
    "I've been a patient since 2010",
    "born and raised in kingston, been a patient since 2010",
    "I had filler on 12/03/2024",
    "my dob is 03/05/1990",
    "born in 2007",
    "born 29/11/2008",
    "my mum was born in 1960",
    "my baby was born 3 weeks ago, can i book a check up",
    "my birthday is next week, can I book a facial",
    "my dob is 31/02/2010",
    "Tom Hughes, dob 12/04/1990, 07700 900912",
]


@pytest.mark.parametrize("message", BORN_ADULT_OR_NOT_A_BIRTH)
def test_adult_dates_of_birth_and_other_dates_pass(message: str) -> None:
    result = check_inbound(message, facts=FACTS, now=NOW)

    assert result.under_18 is False, result.decisions[3]
    assert result.outcome is None


def test_the_age_is_reckoned_on_the_day_of_the_message() -> None:
    message = "my dob is 01/12/2008"

    assert check_inbound(message, facts=FACTS, now=NOW).under_18 is True
    later = dt.datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Europe/London"))
    assert check_inbound(message, facts=FACTS, now=later).under_18 is False


# Answers and corrections: an under-18 answer always flags, however it is put.
SAYS_NOT_18_YET = [
    "no im 17",
    "i'm actually 17",
    "actually im 17 sorry",
    "nah 17",
    "no sorry 16",
    "no im 17 but ill be 18 in feb",
    "ill be 18 next month",
    "I'm turning 18 in march",
    "im 18 next month",
    "can i book it for when i turn 18",
    "my 18th is in march",
    "my 18th birthday is next week",
    "not 18 till january",
    "my son is 18 next week but he wants a check up",
]


@pytest.mark.parametrize("message", SAYS_NOT_18_YET)
def test_saying_not_18_yet_flags_it(message: str) -> None:
    assert check_inbound(message, facts=FACTS, now=NOW).under_18 is True


@pytest.mark.parametrize(
    "message",
    [
        "i was 18 last year",
        "she turned 18 last week",
        "17",  # a bare number may be a time or a date the visitor picked
        "can i have the 16:00",
        "no thanks",
    ],
)
def test_past_eighteenth_birthdays_and_bare_numbers_pass(message: str) -> None:
    assert check_inbound(message, facts=FACTS, now=NOW).under_18 is False
