"""Outbound: prescription-only medicines are never named; the reply speaks of anti-wrinkle
treatment and, when it talks prices or booking, says a prescriber consultation comes first."""

from __future__ import annotations

import pytest

from aescrm.assistant.guardrails import PRESCRIBER_NOTE, ClinicFacts, check_outbound

FACTS = ClinicFacts("Alpha Dental")


def _out(text: str) -> tuple[str, str, str]:
    result = check_outbound(text, facts=FACTS, allowed_prices={15000, 25000}, grounding_text="")
    decision = result.decisions[0]
    assert decision.check == "prescription_medicine"
    return result.text, decision.decision, decision.detail


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("We offer Botox.", "We offer anti-wrinkle treatment."),
        ("We offer botox.", "We offer anti-wrinkle treatment."),
        ("We offer BOTOX®.", "We offer anti-wrinkle treatment."),
        ("We use Dysport.", "We use anti-wrinkle treatment."),
        ("We offer Botox injections.", "We offer anti-wrinkle treatment."),
        ("Botox injections are given by a nurse.", "Anti-wrinkle treatment is given by a nurse."),
        ("Botox lasts three to four months.", "Anti-wrinkle treatment lasts three to four months."),
        ("We stock Azzalure and Bocouture.", "We stock anti-wrinkle treatment."),
        ("We use Botox, Dysport or Xeomin.", "We use anti-wrinkle treatment."),
        ("Ask about Letybo.", "Ask about anti-wrinkle treatment."),
        ("We use botulinum toxin.", "We use anti-wrinkle treatment."),
        ("Aftercare for Botox is simple.", "Aftercare for anti-wrinkle treatment is simple."),
    ],
)
def test_medicine_names_become_anti_wrinkle_treatment(reply: str, expected: str) -> None:
    text, decision, detail = _out(reply)

    assert text == expected
    assert decision == "rewrite"
    assert detail.startswith("renamed ")


def test_a_reply_about_price_gets_the_prescriber_note_once() -> None:
    text, decision, _ = _out("Botox injections start from £150. Botox is popular.")

    assert text == (
        "Anti-wrinkle treatment starts from £150. Anti-wrinkle treatment is popular. "
        + PRESCRIBER_NOTE
    )
    assert text.count(PRESCRIBER_NOTE) == 1
    assert decision == "rewrite"


def test_an_article_before_the_name_is_mended() -> None:
    text, _, _ = _out("A Botox appointment takes 30 minutes. Shall I book a Botox consultation?")

    assert text.startswith(
        "An anti-wrinkle appointment takes 30 minutes. Shall I book an anti-wrinkle consultation?"
    )
    assert text.endswith(PRESCRIBER_NOTE)


def test_an_anti_wrinkle_booking_reply_without_a_medicine_name_still_gets_the_note() -> None:
    text, decision, detail = _out("Anti-wrinkle treatment is £250. Shall I book you in?")

    assert text.endswith(PRESCRIBER_NOTE)
    assert decision == "rewrite"
    assert detail == "added the prescriber note"


def test_a_reply_that_already_mentions_the_prescriber_is_left_alone() -> None:
    reply = "Anti-wrinkle treatment is £250 and starts with a prescriber consultation."

    assert _out(reply) == (reply, "pass", "")


@pytest.mark.parametrize(
    "reply",
    [
        "Teeth whitening is £250.",
        "Our robotox offer is for robots.",
        "Lip filler lasts six to twelve months.",
        "We are open until 6pm.",
    ],
)
def test_replies_without_prescription_medicines_pass(reply: str) -> None:
    assert _out(reply) == (reply, "pass", "")


# The weight-loss injections and hyaluronidase have no service name: a reply calls them
# prescription-only medicines and says a prescriber decides.
@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("We don't offer Ozempic or Mounjaro.", "We don't offer prescription-only medicines."),
        (
            "Mounjaro injections are available after a consultation with a prescriber.",
            "Prescription-only medicines are available after a consultation with a prescriber.",
        ),
        (
            "We dissolve filler with hyaluronidase (Hyalase).",
            "We dissolve filler with a prescription-only medicine.",
        ),
        ("An Ozempic jab is not available.", "A prescription-only medicine is not available."),
        (
            "Wegovy, Ozempic and Mounjaro are not something we offer.",
            "Prescription-only medicines are not something we offer.",
        ),
        ("Ask about semaglutide.", "Ask about a prescription-only medicine."),
        ("We use Saxenda®.", "We use a prescription-only medicine."),
    ],
)
def test_weight_loss_injections_and_hyaluronidase_are_not_named(reply: str, expected: str) -> None:
    text, decision, detail = _out(reply)

    assert text.startswith(expected)
    assert "prescriber" in text
    for name in ("ozempic", "mounjaro", "wegovy", "hyalase", "hyaluronidase", "saxenda"):
        assert name not in text.lower()
    assert decision == "rewrite"
    assert detail.startswith("renamed ")


@pytest.mark.parametrize(
    "reply",
    [
        "We do not offer weight-loss injections.",
        "Filler dissolving starts with a consultation with a prescriber.",
    ],
)
def test_services_without_a_medicine_name_pass(reply: str) -> None:
    assert _out(reply) == (reply, "pass", "")
