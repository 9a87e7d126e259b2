"""A long, chatty message names its treatment in one clause ("i've finally decided to look
into an implant") while another only says what kind of visit ("i think i need a
consultation first"): the clause that says which wins, and chatter does not count against it.
Two clauses naming two different treatments still leave the visitor to choose."""

from __future__ import annotations

import dataclasses

from aescrm.assistant.engines.base import KnowledgeDoc
from aescrm.assistant.nlu import find_treatment
from aescrm.assistant.tests.nlu_catalogue import REAL_DOCS

IMPLANT = KnowledgeDoc(
    id="t-implant",
    kind="treatment",
    title="Dental implant consultation",
    answer="A consultation with the dentist to plan an implant for a missing tooth.",
    treatment_id="tr-implant",
    category="Dental",
    price_pence=9500,
    duration_minutes=30,
)
DOCS = (*REAL_DOCS, IMPLANT)

RAMBLING = (
    "hello there, my husband has been on at me for ages about my missing tooth at the side,"
    " i've finally decided to look into an implant so i think i need a consultation first?"
    " could i come in on a monday"
)


def test_the_clause_that_names_a_treatment_wins_over_one_that_only_says_consultation() -> None:
    found = find_treatment(RAMBLING, DOCS)

    assert found is not None and found.id == "t-implant"


def test_it_is_the_same_with_the_catalogue_in_another_order() -> None:
    reordered = tuple(reversed(DOCS))

    found = find_treatment(RAMBLING, reordered)

    assert found is not None and found.id == "t-implant"


def test_a_consultation_alone_still_names_no_treatment() -> None:
    assert find_treatment("i think i need a consultation first", DOCS) is None


def test_two_treatments_in_two_clauses_are_left_for_the_visitor() -> None:
    text = "i've finally decided on an implant, and my sister wants invisalign"

    assert find_treatment(text, DOCS) is None


def test_a_doc_copy_is_found_the_same() -> None:
    copy = dataclasses.replace(IMPLANT, id="t-implant-2")

    found = find_treatment(RAMBLING, (*REAL_DOCS, copy))

    assert found is not None and found.id == "t-implant-2"
