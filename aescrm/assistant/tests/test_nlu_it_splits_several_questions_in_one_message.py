"""split_questions() cuts a message where a new question starts, and each part classifies
on its own: "how much is a hygienist appointment and are you open saturday morning"."""

import pytest

from aescrm.assistant.nlu import classify, split_questions


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("how much is a hygienist appointment and are you open saturday morning",
         [("how much is a hygienist appointment", "pricing"),
          ("are you open saturday morning", "opening_hours")]),
        ("how much is whitening, and do you do finance?",
         [("how much is whitening", "pricing"), ("do you do finance", "finance")]),
        ("what time do you close on thursdays? want to book whitening after work",
         [("what time do you close on thursdays", "opening_hours"),
          ("want to book whitening after work", "booking")]),
        ("whats the price of invisalign and is there parking",
         [("whats the price of invisalign", "pricing"), ("is there parking", "location")]),
        ("where are you and what are your hours",
         [("where are you", "location"), ("what are your hours", "opening_hours")]),
        ("is there parking also how much is a check up",
         [("is there parking", "location"), ("how much is a check up", "pricing")]),
    ],
)  # fmt: skip
def test_each_question_is_its_own_part(text, parts):
    found = split_questions(text)
    assert [(p, classify(p).intent) for p in found] == parts


@pytest.mark.parametrize(
    "text",
    ["lip and cheek filler prices", "are you open saturday and sunday", "hi, how much is botox?"],
)
def test_one_question_stays_whole(text):
    assert len(split_questions(text)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "are you open saturday morning",
        "are you open on sunday",
        "you open saturdays?",
        "is the clinic open thursday evening",
        "are you open tomorrow",
    ],
)
def test_open_with_a_day_is_the_opening_hours_not_a_booking(text):
    assert classify(text).intent == "opening_hours"


def test_a_price_and_an_opening_time_together_are_not_a_booking():
    guess = classify("how much is a hygienist appointment and are you open saturday morning")
    assert guess.intent in ("pricing", "opening_hours")
