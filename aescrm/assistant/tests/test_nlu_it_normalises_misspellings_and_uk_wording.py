"""normalise() turns the many ways of writing a treatment or request into one wording."""

import pytest

from aescrm.assistant.nlu import normalise


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("How much is INVISLIGN?!", "how much is invisalign"),
        ("invisaline", "invisalign"),
        ("Anti wrinkle", "anti-wrinkle"),
        ("antiwrinkle", "anti-wrinkle"),
        ("anti-wrinkle injections", "anti-wrinkle"),
        ("lip fillers", "lip filler"),
        ("lip filer", "lip filler"),
        ("teeth straightening", "teeth-straightening"),
        ("straighten my teeth", "teeth-straightening"),
        ("teeth whitening", "whitening"),
        ("whiten", "whitening"),
        ("check up", "examination"),
        ("checkup", "examination"),
        ("check-up", "examination"),
        ("hygiene", "hygienist"),
        ("scale and polish", "hygienist"),
        ("implants", "implant"),
        ("veneers", "veneer"),
        ("composite bonding", "composite bonding"),
        ("root canal treatment", "root canal"),
        ("crowns", "crown"),
        ("dermal fillers", "dermal filler"),
        ("skin boosters", "skin booster"),
        ("chemical peels", "chemical peel"),
        ("micro-needling", "microneedling"),
        ("consultations", "consultation"),
        ("emergency dentist", "emergency appointment"),
        ("Zoë’s café", "zoes cafe"),
        ("can't  breathe", "cannot breathe"),
        ("I'm", "i am"),
        ("apointment tmrw pls", "appointment tomorrow please"),
        ("0% interest", "interest free"),
    ],
)
def test_it_maps_to_the_canonical_words(text, canonical):
    assert normalise(text) == canonical


def test_a_brand_name_stays_recognisable_next_to_its_treatment():
    assert normalise("botox") == "botox anti-wrinkle"
    assert normalise("botux please") == "botox anti-wrinkle please"
    assert normalise("botox anti wrinkle") == "botox anti-wrinkle"
    assert normalise("profhilo") == "profhilo skin booster"


def test_it_is_stable_when_applied_twice():
    for text in ["botox", "profhilo skin booster", "teeth straightening", "Lip Fillers?", "0%"]:
        assert normalise(normalise(text)) == normalise(text)
