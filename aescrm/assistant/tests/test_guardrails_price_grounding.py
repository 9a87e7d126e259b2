"""Outbound: every money figure in a reply comes from the clinic's knowledge; a sentence with
any other figure is replaced by an honest "no confirmed price"."""

from __future__ import annotations

import pytest

from aescrm.assistant.guardrails import NO_PRICE, ClinicFacts, check_outbound
from aescrm.assistant.guardrails.prices import money_figures

FACTS = ClinicFacts("Alpha Dental")


@pytest.mark.parametrize(
    ("text", "pence"),
    [
        ("£250", [25000]),
        ("£1,200", [120000]),
        ("£99.50", [9950]),
        ("250 pounds", [25000]),
        ("from £3,500", [350000]),
        ("£250-£450", [25000, 45000]),
        ("£250–450", [25000, 45000]),
        ("£250 to £450", [25000, 45000]),
        ("£2.5k", [250000]),
        ("£2-3k", [200000, 300000]),
        ("35 quid", [3500]),
        ("GBP 100", [10000]),
        ("£ 75", [7500]),
        ("at 10:00 on 1 Dec", []),
        ("2 x 30 min, 1 ml", []),
    ],
)
def test_money_figures_are_read_in_pence(text: str, pence: list[int]) -> None:
    assert money_figures(text) == pence


def _out(text: str, allowed: set[int], grounding: str = "") -> tuple[str, str, str]:
    result = check_outbound(text, facts=FACTS, allowed_prices=allowed, grounding_text=grounding)
    decision = result.decisions[2]
    assert decision.check == "price_grounding"
    return result.text, decision.decision, decision.detail


@pytest.mark.parametrize(
    ("reply", "allowed", "grounding"),
    [
        ("Teeth whitening is £350.", {35000}, ""),
        ("Implants are from £2,500.", {250000}, ""),
        ("A hygienist visit is £75.00.", {7500}, ""),
        ("Veneers are £600–£1,200 per tooth.", set(), "Porcelain veneers cost £600 to £1,200."),
        ("The deposit is 50 pounds.", set(), "We take a £50 deposit."),
        ("We're open 9 till 5.", set(), ""),
    ],
)
def test_grounded_figures_pass(reply: str, allowed: set[int], grounding: str) -> None:
    assert _out(reply, allowed, grounding) == (reply, "pass", "")


def test_a_made_up_price_is_replaced_sentence_by_sentence() -> None:
    text, decision, detail = _out(
        "Teeth whitening is £350. Lip filler is £199. Call us to book!", {35000}
    )

    assert text == f"Teeth whitening is £350. {NO_PRICE} Call us to book!"
    assert decision == "rewrite"
    assert detail == "not in the knowledge: £199"


def test_a_run_of_made_up_prices_gets_one_apology() -> None:
    text, _, detail = _out("Filler is £999. Veneers are £5,000. Whitening is £350.", {35000})

    assert text == f"{NO_PRICE} Whitening is £350."
    assert detail == "not in the knowledge: £999, £5,000"


def test_a_range_with_one_unknown_end_is_replaced() -> None:
    text, decision, _ = _out("Aligners cost £2,500–£9,000.", {250000})

    assert text == NO_PRICE
    assert decision == "rewrite"


def test_a_list_keeps_its_bullets() -> None:
    text, _, _ = _out(
        "Our prices:\n- Whitening £350\n- Filler £999\n- Peel £115", {35000}, "Peel: £115"
    )

    assert text == f"Our prices:\n- Whitening £350\n- {NO_PRICE}\n- Peel £115"


def test_pence_and_pounds_forms_of_the_same_price_match() -> None:
    assert _out("It is £99.50.", {9950})[1] == "pass"
    assert _out("It is £99.", {9950})[1] == "rewrite"
