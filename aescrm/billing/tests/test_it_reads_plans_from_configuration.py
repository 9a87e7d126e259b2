from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from aescrm.billing.plans import catalogue, parse_catalogue


def test_the_shipped_plans_have_prices_limits_and_a_trial() -> None:
    plans = catalogue()
    assert set(plans.plans) == {"starter", "growth", "practice"}
    assert plans.default.key == "growth"
    assert plans.trial_days == 14
    growth = plans.get("growth")
    assert growth.monthly_price_pence == 19900
    assert growth.limit("seats") == 10
    assert growth.limit("sms_segments") == 4000


def test_a_plans_stripe_price_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STRIPE_PRICE_STARTER", "price_starter_test")
    plans = catalogue()
    assert plans.get("starter").stripe_price_id == "price_starter_test"
    assert plans.by_price("price_starter_test") == plans.get("starter")
    assert plans.by_price("price_unknown") is None


def test_an_unknown_plan_names_the_plans_there_are() -> None:
    with pytest.raises(KeyError, match="plans are starter, growth, practice"):
        catalogue().get("platinum")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("trial_days = 14", "no \\[plans.<key>\\] sections"),
        ("[plans.solo]\nmonthly_price_pence = 5\n", "plan 'solo' needs a name"),
        (
            '[plans.solo]\nname = "Solo"\nmonthly_price_pence = 900\nseats = -1\n'
            "sms_segments = 1\nemails = 1\nchat_conversations = 1\n",
            "plan 'solo' seats must be a whole number",
        ),
        (
            '[plans.solo]\nname = "Solo"\nmonthly_price_pence = 900\nseats = 1\n'
            "sms_segments = 1\nemails = 1\n",
            "plan 'solo' chat_conversations must be a whole number",
        ),
        (
            'default_plan = "gold"\n[plans.solo]\nname = "Solo"\nmonthly_price_pence = 900\n'
            "seats = 1\nsms_segments = 1\nemails = 1\nchat_conversations = 1\n",
            "default_plan 'gold' is not a plan",
        ),
        ("[plans", "not valid TOML"),
    ],
)
def test_a_malformed_plans_file_names_the_problem(text: str, problem: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=problem):
        parse_catalogue(text, source="plans.toml")
