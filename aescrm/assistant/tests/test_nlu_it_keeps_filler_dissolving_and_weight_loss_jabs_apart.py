"""Dissolving filler (hyaluronidase) and weight-loss injections are prescription-only
procedures of their own: never the "Lip filler" they mention, never an aesthetic treatment,
unless the clinic lists them."""

import pytest

from aescrm.assistant.engines.base import KnowledgeDoc
from aescrm.assistant.nlu import find_treatment, rank, unlisted_procedure
from aescrm.assistant.tests.nlu_catalogue import REAL_DOCS

FEE = KnowledgeDoc(
    id="fee", kind="faq", title="Consultation fee",
    answer="An aesthetic consultation costs £50, and the £50 comes off your treatment.",
    keywords="consultation, consult, fee, free consultation",
)  # fmt: skip
CLINIC = (*REAL_DOCS, FEE)

DISSOLVING = [
    "can you dissolve my lip filler from another place with hyalase? hate it",
    "do you do hyaluronidase",
    "how much is hyalase",
    "filler dissolving price?",
    "can i book in to get my filler dissolved",
    "I want my lip filler dissolved, it's migrated",
    "could you dissolve the filler in my cheeks",
    "i'd like to get rid of my filler",
    "my lips are lumpy from another clinic, can you dissolve them",
]
WEIGHT_LOSS = [
    "do you do the skinny jab? mounjaro or ozempic whichever's cheaper",
    "do you do wegovy",
    "fat jabs?",
    "how much is mounjaro",
    "do you offer weight loss injections",
    "can i get saxenda from you",
    "I want to lose weight, do you do the jab",
    "semaglutide price",
]


@pytest.mark.parametrize("text", DISSOLVING)
def test_dissolving_filler_names_no_filler_treatment(text):
    assert unlisted_procedure(text, CLINIC) == "filler_dissolving"
    assert find_treatment(text, CLINIC) is None
    assert all(h.doc.kind != "treatment" for h in rank(text, CLINIC)), text


def test_dissolving_filler_is_for_a_consultation():
    hits = rank("can you dissolve my lip filler from another place with hyalase? hate it", CLINIC)
    assert hits and hits[0].doc.id == "fee"


@pytest.mark.parametrize("text", WEIGHT_LOSS)
def test_weight_loss_injections_name_no_treatment(text):
    assert unlisted_procedure(text, CLINIC) == "weight_loss_injection"
    assert find_treatment(text, CLINIC) is None
    assert all(h.doc.kind != "treatment" for h in rank(text, CLINIC)), text


@pytest.mark.parametrize(
    "text",
    [
        "how much is lip filler",
        "do the stitches dissolve after a wisdom tooth out",
        "botox please",
        "can i lose my deposit",
        "what's your cancellation policy",
    ],
)
def test_other_messages_are_not_unlisted_procedures(text):
    assert unlisted_procedure(text, CLINIC) is None


def test_a_clinic_that_lists_dissolving_finds_it_rather_than_the_filler():
    dissolving = KnowledgeDoc(
        id="t-dissolve", kind="treatment", title="Filler dissolving (hyaluronidase)",
        answer="Hyaluronidase to dissolve hyaluronic acid filler.", treatment_id="tr-d",
        category="Aesthetics", price_pence=20000, prescription_medicine=True,
    )  # fmt: skip
    docs = (*CLINIC, dissolving)
    for text in ["dissolve my lip filler please", "how much is hyalase", "filler dissolving?"]:
        assert unlisted_procedure(text, docs) is None
        found = find_treatment(text, docs)
        assert found is not None and found.id == "t-dissolve", text


def test_a_clinic_that_lists_weight_loss_injections_finds_them():
    jab = KnowledgeDoc(
        id="t-wl", kind="treatment", title="Weight loss injections (prescriber-led)",
        answer="A prescriber-led weight management programme.", treatment_id="tr-wl",
        category="Medical", price_pence=19900, prescription_medicine=True,
    )  # fmt: skip
    docs = (*CLINIC, jab)
    assert unlisted_procedure("skinny jab", docs) is None
    found = find_treatment("do you do the skinny jab", docs)
    assert found is not None and found.id == "t-wl"
