"""A visitor asking about a prescription-only medicine, and what the assistant says back.

Botulinum toxin (Botox and its rivals), the weight-loss injections (semaglutide: Ozempic,
Wegovy; tirzepatide: Mounjaro; liraglutide: Saxenda) and hyaluronidase (Hyalase, used to
dissolve filler) are prescription-only medicines. Human Medicines Regulations 2012 reg. 284
and CAP Code rule 12.12 forbid promoting them to the public, and only a prescriber who has
assessed the person (face to face for injectables) may decide on one. The reply therefore
names none of them, compares none of them and sends the visitor to a consultation with a
prescriber, or says the clinic doesn't offer it.

The question is ordinary, so the inbound check only flags it (staff see it in the
transcript) and the engine answers it with ``prescription_medicine_reply``; the outbound
check renames any medicine a reply names.
"""

from __future__ import annotations

import re

from aescrm.assistant.guardrails.text import normalise

ANTI_WRINKLE = "anti-wrinkle"
WEIGHT_LOSS = "weight-loss"
FILLER_DISSOLVING = "filler-dissolving"

_ENQUIRIES = (
    (
        WEIGHT_LOSS,
        re.compile(
            r"\b(?:skinny|fat|weight ?loss|slimming|diet|hunger|appetite|glp ?1|glp1)"
            r" (?:jabs?|injections?|pens?|shots?|drugs?|medicines?|medication|meds)\b"
            r"|\b(?:mounjaro|monjaro|mounjar|ozempic|ozempik|ozempics|wegovy|wegovey|saxenda"
            r"|semaglutide|tirzepatide|liraglutide|zepbound|rybelsus|victoza|trulicity"
            r"|dulaglutide|glp ?1s?|glp1s?)\b"
        ),
    ),
    (
        FILLER_DISSOLVING,
        re.compile(
            r"\b(?:hyalase|hyaluronidase|hylenex|liporase|hyalaze|hyalace|hyalyse)\b"
            r"|\b(?:dissolv\w*|remov\w*|reverse|reversing|get rid of|take out|melt\w*)"
            r"(?: \S+){0,4} (?:filler|lip filler|tear trough filler|cheek filler)\b"
            r"|\bfiller(?: \S+)? (?:dissolv\w*|removal|removed|reversal|reversed|melt\w*"
            r"|taken out)\b"
        ),
    ),
    (
        ANTI_WRINKLE,
        re.compile(
            r"\b(?:botox|botulinum|toxin|tox|azzalure|bocouture|dysport|xeomin|vistabel|letybo"
            r"|alluzience|relfydess|nuceiva|baby botox)\b"
        ),
    ),
)


def prescription_medicine_enquiry(message: str) -> str | None:
    """``WEIGHT_LOSS``, ``FILLER_DISSOLVING`` or ``ANTI_WRINKLE`` when the message asks
    about that prescription-only medicine (by name, brand, slang or use), else None."""
    text = normalise(message)
    for kind, pattern in _ENQUIRIES:
        if pattern.search(text):
            return kind
    return None


def prescription_medicine_reply(kind: str, *, offered: bool) -> str:
    """What to say to a question about a prescription-only medicine: no names, no
    comparison, a consultation with a prescriber (or, when the clinic doesn't offer it,
    the visitor's GP, a pharmacist or their own prescriber). ``offered``: the clinic's
    catalogue has the service (anti-wrinkle treatment, filler dissolving, a weight-loss
    programme)."""
    if kind == WEIGHT_LOSS:
        if not offered:
            return (
                "We don't offer weight-loss injections. They are prescription-only medicines, "
                "so please speak to your GP or a pharmacist, who can check whether one is "
                "right for you."
            )
        return (
            "Weight-loss injections are prescription-only medicines, so I can't recommend or "
            "compare them here. They are only prescribed after a consultation with one of our "
            "prescribers, who will check whether one is suitable for you. Would you like to "
            "book a consultation?"
        )
    if kind == FILLER_DISSOLVING:
        if not offered:
            return (
                "We don't offer filler dissolving. It uses a prescription-only medicine, so it "
                "needs a face-to-face consultation with a prescriber: the clinic that did your "
                "filler, or your GP, can advise you."
            )
        return (
            "Dissolving filler uses a prescription-only medicine, so it always starts with a "
            "face-to-face consultation with one of our prescribers, who will look at the area "
            "and check whether dissolving is right for you, including filler done elsewhere. "
            "Would you like to book a consultation?"
        )
    if not offered:
        return (
            "We don't offer anti-wrinkle treatment. It uses a prescription-only medicine, so "
            "it always needs a consultation with a prescriber first."
        )
    return (
        "Anti-wrinkle treatment uses a prescription-only medicine, so I can't recommend or "
        "compare particular products here. It always starts with a consultation with one of "
        "our prescribers, who will go through your medical history, including any reaction "
        "you've had before, and decide what's suitable for you. Would you like to book an "
        "anti-wrinkle consultation?"
    )
