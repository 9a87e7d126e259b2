"""Price questions in text-speak and slang are pricing, and long chatty messages still name
the treatment; "how much notice" is the cancellation policy, not a price or a dose."""

import pytest

from aescrm.assistant.nlu import classify, find_treatment, rank
from aescrm.assistant.tests.test_nlu_it_finds_policies_contact_details_and_aftercare import DOCS


@pytest.mark.parametrize(
    "text",
    [
        "hw much 4 a hygienist?",
        "how much 4 whitening",
        "what would invisalign set me back",
        "whats the damage for composite bonding",
        "ballpark for an implant consultation?",
        "how much roughly for cheek filler",
        "what are we looking at for teeth whitening",
        "how much are we talking for invisalign",
        "invisalign price pls",
        "what does a new patient exam come to",
        "rough cost of composite bonding?",
    ],
)
def test_it_reads_a_price_question(text):
    assert classify(text).intent == "pricing", text


@pytest.mark.parametrize(
    ("text", "doc_id"),
    [
        (
            "My old dentist retired last year and I've been putting it off honestly, my teeth"
            " feel a bit grotty, what does a scale and polish cost at yours?",
            "hyg",
        ),
        (
            "I've always hated my smile in photos and my sister's wedding is in the summer so"
            " I'm thinking whitening, roughly how much are we talking?",
            "white",
        ),
        (
            "I wore a brace when I was 12 but my bottom teeth have moved back, what would"
            " invisalign set me back?",
            "inv",
        ),
        (
            "knocked a corner off my front tooth on a bottle last night, no pain, looks rubbish"
            " though. can i get an emergency appointment tomorrow?",
            "emerg",
        ),
        (
            "Hello, can I book the hygienist for Thursday afternoon please, I'm Priya Patel and"
            " my mobile is 07700 900461",
            "hyg",
        ),
    ],
)
def test_a_long_message_still_names_the_treatment(text, doc_id):
    found = find_treatment(text, DOCS)
    assert found is not None and found.id == doc_id, text


@pytest.mark.parametrize(
    "text",
    [
        "how much notice do i need to give to rearrange",
        "need to change my appointment, how much notice do you need",
        "what happens if i don't turn up",
        "what if i miss an appointment",
    ],
)
def test_notice_and_missing_an_appointment_are_the_cancellation_policy(text):
    guess = classify(text)
    assert guess.intent == "treatment_info", (text, guess)
    hits = rank(text, DOCS)
    assert hits and hits[0].doc.id == "cancel", [(h.doc.title, h.score) for h in hits]


@pytest.mark.parametrize(
    ("text", "doc_id"),
    [
        ("sixth form student looking for anti wrinkle for my forehead lines", "aw"),
        ("I'm at uni and want lip filler before graduation", "lip"),
        ("my prom is in june, could i get my teeth whitened before?", "white"),
    ],
)
def test_who_and_what_for_do_not_hide_the_treatment(text, doc_id):
    found = find_treatment(text, DOCS)
    assert found is not None and found.id == doc_id, text
    hits = rank(text, DOCS)
    assert hits and hits[0].doc.id == doc_id, [(h.doc.title, h.score) for h in hits]
