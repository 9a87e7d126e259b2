"""A reply picks one of the offered appointments by label, position, time, day or practitioner."""

import datetime as dt

import pytest

from aescrm.assistant.engines.base import SlotOffer
from aescrm.assistant.nlu import choose_slot


def offer(day, hour, minute=0, who="Dr Priya Patel"):
    starts = dt.datetime(2026, 12, day, hour, minute, tzinfo=dt.UTC)  # GMT in December
    label = f"{starts:%a} {day} Dec, {hour:02d}:{minute:02d}"
    return SlotOffer(treatment_id="t", practitioner_id=who, practitioner_name=who,
                     starts_at=starts, label=label)  # fmt: skip


TUE_10 = offer(1, 10)
TUE_1430 = offer(1, 14, 30, who="Nurse Sam Lee")
THU_1030 = offer(3, 10, 30)
OFFERS = [TUE_10, TUE_1430, THU_1030]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tue 1 Dec, 10:00", TUE_10),
        ("thu 3 dec, 10:30 please", THU_1030),
        ("the first one", TUE_10),
        ("1", TUE_10),
        ("second please", TUE_1430),
        ("option 3", THU_1030),
        ("the last one", THU_1030),
        ("10am", TUE_10),
        ("10:30", THU_1030),
        ("2.30pm", TUE_1430),
        ("half two", TUE_1430),
        ("at 10", TUE_10),
        ("thursday", THU_1030),
        ("thurs works", THU_1030),
        ("tuesday afternoon one", TUE_1430),
        ("tuesday at 10 please", TUE_10),
        ("the one with Sam", TUE_1430),
        ("the earliest", TUE_10),
        ("the latest", THU_1030),
    ],
)
def test_it_reads_the_pick(text, expected):
    assert choose_slot(text, OFFERS) == expected


def test_the_later_and_earlier_one_of_two():
    two = [TUE_10, TUE_1430]
    assert choose_slot("the later one", two) == TUE_1430
    assert choose_slot("earlier one please", two) == TUE_10


@pytest.mark.parametrize(
    "text", ["tuesday", "friday", "11am", "none of those", "how much is it", "7", ""]
)
def test_it_picks_nothing_when_the_reply_is_ambiguous_or_matches_none(text):
    assert choose_slot(text, OFFERS) is None


def test_a_yes_takes_the_only_offer():
    assert choose_slot("yes please", [THU_1030]) == THU_1030
    assert choose_slot("no", [THU_1030]) is None
    assert choose_slot("yes", OFFERS) is None
    assert choose_slot("yes", []) is None


# As the tools label them: three offers on one day, two hours apart.
WED_12 = offer(2, 12, who="Sam Okafor")
WED_14 = offer(2, 14, who="Sam Okafor")
WED_16 = offer(2, 16, who="Sam Okafor")
WEDNESDAY = [WED_12, WED_14, WED_16]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2nd one please", WED_14),
        ("second one", WED_14),
        ("the second one thanks", WED_14),
        ("2nd", WED_14),
        ("the first one please", WED_12),
        ("first", WED_12),
        ("first please", WED_12),
        ("one please", WED_12),
        ("1", WED_12),
        ("option 1", WED_12),
        ("3rd one", WED_16),
        ("the third one please", WED_16),
        ("the last one", WED_16),
        ("the later one", WED_16),
        ("the earlier one", WED_12),
        ("the 2pm", WED_14),
        ("the 2pm one please", WED_14),
        ("2pm please", WED_14),
        ("Wednesday at 2", WED_14),
        ("wednesday at two", WED_14),
        ("4 o'clock", WED_16),
        ("at 12 please", WED_12),
        ("12:00 is good", WED_12),
        ("the 4pm one", WED_16),
    ],
)
def test_it_reads_a_position_or_a_time_whichever_words_are_used(text, expected):
    assert choose_slot(text, WEDNESDAY) == expected


def test_an_am_time_picks_the_morning_offer():
    friday = [offer(4, 9), offer(4, 11), offer(4, 13)]
    assert choose_slot("11am please", friday) == friday[1]
    assert choose_slot("the 11am one", friday) == friday[1]
    assert choose_slot("the afternoon one", friday) == friday[2]
    assert choose_slot("13:00", friday) == friday[2]


@pytest.mark.parametrize("text", ["anything later?", "something later in the week", "10am"])
def test_a_wish_for_other_times_picks_nothing(text):
    assert choose_slot(text, WEDNESDAY) is None
