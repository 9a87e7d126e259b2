"""Slang, areas and brands of the prescription-only anti-wrinkle medicines find the clinic's
anti-wrinkle treatment (a "lip flip" too, which is not lip filler); filler stays filler."""

import pytest

from aescrm.assistant.nlu import classify, find_treatment, rank
from aescrm.assistant.tests.test_nlu_it_finds_policies_contact_details_and_aftercare import DOCS


@pytest.mark.parametrize(
    "text",
    [
        "how much is a lip flip",
        "can i get a lip flip done next week",
        "lipflip price?",
        "can I get my 11s done",
        "do you do the elevens",
        "something for the 11 lines between my eyes",
        "bunny line treatment please",
        "non-surgical brow lift, how much?",
        "nefertiti neck lift cost",
        "price per unit for tox",
        "baby tox for my forehead",
        "is azzalure cheaper than the original brand",
        "wrinkle relaxing injections for my crows feet",
        "how long does tox last roughly",
        "what can you do for a gummy smile",
        "I'd like a brotox appointment",
        "do you do anti-wrinkle injections for laughter lines",
        "muscle relaxing injections for frown lines?",
        "toxin for my frown",
    ],
)
def test_it_finds_the_anti_wrinkle_treatment(text):
    found = find_treatment(text, DOCS)
    assert found is not None and found.id == "aw", text
    hits = rank(text, DOCS)
    assert hits and hits[0].doc.id == "aw", [(h.doc.title, h.score) for h in hits]


@pytest.mark.parametrize(
    "text", ["how much is lip filler", "lip fillers for my top lip", "can I book lip injections"]
)
def test_lip_filler_is_still_lip_filler(text):
    found = find_treatment(text, DOCS)
    assert found is not None and found.id == "lip", text


@pytest.mark.parametrize(
    "text", ["how much is a lip flip", "tox price per area?", "what would tox set me back"]
)
def test_a_price_question_in_slang_is_pricing(text):
    assert classify(text).intent == "pricing"


@pytest.mark.parametrize(
    "text",
    [
        "my tox has worn off, need a top up",
        "do you use xeomin? another brand gave me a reaction",
        "which brand of anti wrinkle do you use, the original or a different one?",
    ],
)
def test_chatter_about_brands_and_top_ups_still_finds_it(text):
    hits = rank(text, DOCS)
    assert hits and hits[0].doc.id == "aw", [(h.doc.title, h.score) for h in hits]
