"""find_treatment() names the catalogue treatment a message is about, or None when unclear."""

import pytest

from aescrm.assistant.engines.base import KnowledgeDoc
from aescrm.assistant.nlu import find_treatment
from aescrm.assistant.tests.nlu_catalogue import REAL_DOCS, synthetic_catalogue


@pytest.mark.parametrize("docs", [REAL_DOCS, synthetic_catalogue(500)], ids=["clinic", "500"])
@pytest.mark.parametrize(
    ("text", "doc_id"),
    [
        ("I'd like to book invislign", "t-invisalign"),
        ("teeth straightening please", "t-invisalign"),
        ("lip filler", "t-lip"),
        ("lip filers", "t-lip"),
        ("botox", "t-antiwrinkle"),
        ("anti wrinkle please", "t-antiwrinkle"),
        ("a scale and polish", "t-hygiene"),
        ("check up", "t-exam"),
        ("teeth whitening", "t-whitening"),
        ("composite bonding", "t-bonding"),
        ("profhilo", "t-profhilo"),
    ],
)
def test_it_names_the_treatment(docs, text, doc_id):
    found = find_treatment(text, docs)
    assert found is not None and found.id == doc_id
    assert found.kind == "treatment"


@pytest.mark.parametrize(
    "text", ["parking", "do you do finance", "yes please", "hello", "tomorrow", "hair transplant"]
)
def test_it_names_none_when_no_treatment_fits(text):
    assert find_treatment(text, REAL_DOCS) is None


def test_it_never_names_a_faq_or_policy():
    assert find_treatment("opening hours", REAL_DOCS) is None
    assert find_treatment("cancellation policy", REAL_DOCS) is None


def test_two_treatments_that_fit_equally_are_left_for_the_visitor_to_choose():
    docs = (
        KnowledgeDoc(id="half", kind="treatment", title="Lip filler (0.5ml)", answer=""),
        KnowledgeDoc(id="one", kind="treatment", title="Lip filler (1ml)", answer=""),
    )
    assert find_treatment("lip filler", docs) is None
    chosen = find_treatment("lip filler 1ml", docs)
    assert chosen is not None and chosen.id == "one"
