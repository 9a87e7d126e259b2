"""split_questions() cuts a message where a new question starts (and only there);
classify(previous=...) lets a short follow-up continue the last topic."""

import pytest

from aescrm.assistant.nlu import classify, is_follow_up, split_questions

SPLITS = {
    "when do you close on fridays and do you have parking": [
        "when do you close on fridays",
        "do you have parking",
    ],
    "how much is whitening? also do you do finance": [
        "how much is whitening",
        "do you do finance",
    ],
    "Thanks! Where are you?": ["Where are you"],
    "can i book. how much is it": ["can i book", "how much is it"],
    "are you open late on thursday, and is it easy to park": [
        "are you open late on thursday",
        "is it easy to park",
    ],
    "how much is lip and cheek filler": ["how much is lip and cheek filler"],
    "are you open saturday and sunday": ["are you open saturday and sunday"],
    "I'd like whitening and composite bonding": ["I'd like whitening and composite bonding"],
}


@pytest.mark.parametrize(("text", "parts"), SPLITS.items())
def test_it_splits_only_where_a_new_question_starts(text, parts):
    assert split_questions(text) == parts


def test_each_part_is_classified_on_its_own():
    first, second = split_questions("what time do you shut on a saturday and where can i park")
    assert classify(first).intent == "opening_hours"
    assert classify(second).intent == "location"


@pytest.mark.parametrize(
    ("text", "previous", "intent"),
    [
        ("what about sunday?", "opening_hours", "opening_hours"),
        ("and on bank holidays?", "opening_hours", "opening_hours"),
        ("and for cheek filler?", "pricing", "pricing"),
        ("what about monday?", "booking", "booking"),
        ("how about tuesday", "booking", "booking"),
        # A follow-up with a topic of its own keeps it; safety is never overridden.
        ("and does it hurt?", "pricing", "treatment_info"),
        ("and can i pay monthly?", "pricing", "finance"),
        ("what about my swollen throat", "pricing", "emergency"),
        ("thanks", "opening_hours", "small_talk"),
    ],
)
def test_a_short_follow_up_continues_the_last_topic(text, previous, intent):
    assert classify(text, previous=previous).intent == intent


def test_without_a_previous_intent_nothing_changes():
    assert (
        classify("what about sunday?").intent
        == classify("what about sunday?", previous=None).intent
    )
    assert is_follow_up("what about sunday?")
    assert not is_follow_up("what are your opening hours on a sunday please, I work weekdays")
