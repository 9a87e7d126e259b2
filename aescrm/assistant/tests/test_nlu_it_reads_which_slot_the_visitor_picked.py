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
