"""Directions find the address (not the phone number); jobs are out of scope; not wanting a
bot asks for a person; being kept waiting is a complaint, not a booking; access and the NHS
find their items even with a child or a pram in the question."""

import pytest

from aescrm.assistant.nlu import classify, rank
from aescrm.assistant.tests.test_nlu_it_finds_policies_contact_details_and_aftercare import DOCS


@pytest.mark.parametrize(
    "text",
    [
        "what's the nearest tube to you",
        "which station are you closest to",
        "how do I get to you from Surbiton",
        "whereabouts on the high street are you",
        "is there a bus stop near you",
        "how do i find you",
    ],
)
def test_directions_find_the_address(text):
    assert classify(text).intent == "location", text
    hits = [h for h in rank(text, DOCS) if h.doc.kind == "location"]
    assert hits and hits[0].doc.id == "where", [(h.doc.title, h.score) for h in hits]


@pytest.mark.parametrize(
    "text",
    [
        "do you have any vacancies for receptionists",
        "can I do work experience at your practice",
        "where do i send my cv",
        "are you recruiting dental nurses",
        "any jobs going?",
    ],
)
def test_jobs_are_out_of_scope(text):
    assert classify(text).intent in ("out_of_scope", "human"), text


@pytest.mark.parametrize(
    "text",
    [
        "I want lip filler before my new job starts",
        "can I book whitening, I'm a teacher so after work please",
        "can I have whitening before my holiday",
        "i fly out on the 20th, could i get lip filler before my flight",
    ],
)
def test_mentioning_work_or_a_holiday_is_not_out_of_scope(text):
    assert classify(text).intent == "booking", text


@pytest.mark.parametrize(
    "text",
    [
        "let me speak to an actual human",
        "put me through to a real person",
        "i'd rather not chat with a bot",
        "get me a human please",
        "no more robots, i want someone real",
    ],
)
def test_not_wanting_a_bot_asks_for_a_person(text):
    assert classify(text).intent == "human", text


@pytest.mark.parametrize(
    "text",
    [
        "sat in your waiting room for an hour past my slot",
        "was kept waiting 30 mins and no one said sorry",
        "waited over an hour after my appointment time, appalling",
        "nobody apologised for the mix up",
    ],
)
def test_being_kept_waiting_is_a_complaint(text):
    assert classify(text).intent == "complaint", text


@pytest.mark.parametrize(
    ("text", "doc_id"),
    [
        ("can i get a pushchair in", "access"),
        ("is there step free access for a buggy", "access"),
        ("are you on the nhs for kids check ups", "nhs"),
        ("do you do nhs for children", "nhs"),
        ("can I bring my 5 year old for a check up", "children"),
        ("what if I don't turn up", "cancel"),
    ],
)
def test_it_finds_the_policy(text, doc_id):
    hits = rank(text, DOCS)
    assert hits and hits[0].doc.id == doc_id, [(h.doc.title, h.score) for h in hits]


@pytest.mark.parametrize(
    ("text", "doc_id"),
    [
        ("how far is the clinic from the station?", "where"),
        ("i'm coming by car from Esher, anywhere to park?", "parking"),
        ("will be driving over, is there somewhere to leave the car", "parking"),
    ],
)
def test_where_from_and_how_far_find_the_right_location_item(text, doc_id):
    hits = [h for h in rank(text, DOCS) if h.doc.kind == "location"]
    assert hits and hits[0].doc.id == doc_id, [(h.doc.title, h.score) for h in hits]


@pytest.mark.parametrize(
    "text",
    [
        "is there a deposit to book lip filler?",
        "do you take a deposit when I book",
        "do I need to pay a deposit for an appointment",
    ],
)
def test_a_deposit_question_is_the_policy_not_a_booking(text):
    assert classify(text).intent == "treatment_info", text


@pytest.mark.parametrize(
    "text",
    [
        "paid for bonding and honestly can't see any difference, not happy",
        "can't see the point of this chat",
    ],
)
def test_cannot_see_a_difference_is_not_losing_sight(text):
    assert classify(text).intent != "emergency", text


def test_losing_sight_is_still_an_emergency():
    assert classify("i can't see out of one eye since my filler").intent == "emergency"
