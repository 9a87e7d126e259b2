"""Under-18s: the message flags the conversation (no refusal by itself); anti-wrinkle
injections and fillers are refused to them under the Botulinum Toxin and Cosmetic Fillers
(Children) Act 2021, and tooth whitening under the cosmetic products rules (hydrogen
peroxide over 0.1% is not for under-18s)."""

from __future__ import annotations

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
