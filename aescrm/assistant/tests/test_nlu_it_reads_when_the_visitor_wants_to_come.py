"""Time wishes become windows on the local calendar, returned in UTC, across clock changes."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from aescrm.assistant.nlu import TimeWish, parse_time_wish

LONDON = ZoneInfo("Europe/London")
TZ = "Europe/London"


def local(year, month, day, hour=0, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON).astimezone(dt.UTC)


# Tuesday 1 December 2026, 09:30 GMT.
NOW = local(2026, 12, 1, 9, 30)


def wish(text, now=NOW):
    return parse_time_wish(text, now=now, tz=TZ)


def window(text, now=NOW) -> TimeWish:
    found = parse_time_wish(text, now=now, tz=TZ)
    assert found is not None, text
    return found


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("tomorrow", local(2026, 12, 2, 0, 0), local(2026, 12, 3, 0, 0), "tomorrow"),
        ("tomorrow morning", local(2026, 12, 2, 8), local(2026, 12, 2, 12), "tomorrow morning"),
        ("tmrw arvo pls", local(2026, 12, 2, 12), local(2026, 12, 2, 17), "tomorrow afternoon"),
        ("next tuesday", local(2026, 12, 8), local(2026, 12, 9), "Tuesday"),
        ("saturday", local(2026, 12, 5), local(2026, 12, 6), "Saturday"),
        ("thurs afternoon", local(2026, 12, 3, 12), local(2026, 12, 3, 17), "Thursday afternoon"),
        ("wednsday evening", local(2026, 12, 2, 17), local(2026, 12, 2, 20), "Wednesday evening"),
        ("next week", local(2026, 12, 7), local(2026, 12, 14), "next week"),
        ("this week", NOW, local(2026, 12, 7), "this week"),
        ("the weekend", local(2026, 12, 5), local(2026, 12, 7), "this weekend"),
        ("3rd december", local(2026, 12, 3), local(2026, 12, 4), "Thursday 3 December"),
        ("December 3rd in the morning", local(2026, 12, 3, 8), local(2026, 12, 3, 12),
         "Thursday 3 December morning"),
        ("3/12", local(2026, 12, 3), local(2026, 12, 4), "Thursday 3 December"),
        ("monday at 10", local(2026, 12, 7, 10), local(2026, 12, 7, 11), "Monday at 10:00"),
        ("friday at 2.30pm", local(2026, 12, 4, 14, 30), local(2026, 12, 4, 15, 30),
         "Friday at 14:30"),
        ("friday after 5pm", local(2026, 12, 4, 17), local(2026, 12, 5), "Friday after 17:00"),
        ("in the afternoon", local(2026, 12, 1, 12), local(2026, 12, 1, 17), "this afternoon"),
        ("evening", local(2026, 12, 1, 17), local(2026, 12, 1, 20), "this evening"),
        ("after 5pm", local(2026, 12, 1, 17), local(2026, 12, 2), "today after 17:00"),
    ],
)  # fmt: skip
def test_it_reads_a_time_wish(text, start, end, label):
    found = wish(text)
    assert found == TimeWish(start=start, end=end, label=label)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        # After work is an evening, whatever the words.
        ("Thursday after work if poss", local(2026, 12, 3, 17), local(2026, 12, 3, 20)),
        ("thurs after work", local(2026, 12, 3, 17), local(2026, 12, 3, 20)),
        ("after work on friday please", local(2026, 12, 4, 17), local(2026, 12, 4, 20)),
        ("wednesday once i finish work", local(2026, 12, 2, 17), local(2026, 12, 2, 20)),
        ("after work", local(2026, 12, 1, 17), local(2026, 12, 1, 20)),
        ("wednesday evening", local(2026, 12, 2, 17), local(2026, 12, 2, 20)),
        ("after 5 on thursday", local(2026, 12, 3, 17), local(2026, 12, 4)),
        ("I finish work at 6 on Monday", local(2026, 12, 7, 18), local(2026, 12, 8)),
        ("early evening thursday", local(2026, 12, 3, 17), local(2026, 12, 3, 19)),
        # Lunch, first thing and the end of the day.
        ("lunchtime friday", local(2026, 12, 4, 12), local(2026, 12, 4, 14)),
        ("on my lunch break on wednesday", local(2026, 12, 2, 12), local(2026, 12, 2, 14)),
        ("tomorrow at lunch", local(2026, 12, 2, 12), local(2026, 12, 2, 14)),
        ("first thing monday", local(2026, 12, 7, 8), local(2026, 12, 7, 10)),
        ("early morning on friday", local(2026, 12, 4, 8), local(2026, 12, 4, 10)),
        ("first thing tomorrow", local(2026, 12, 2, 8), local(2026, 12, 2, 10)),
        ("end of the day on thursday", local(2026, 12, 3, 16), local(2026, 12, 3, 20)),
        ("late afternoon friday", local(2026, 12, 4, 15), local(2026, 12, 4, 17)),
        ("wednesday after school", local(2026, 12, 2, 15, 30), local(2026, 12, 2, 20)),
    ],
)
def test_it_reads_times_of_day_in_the_visitors_words(text, start, end):
    found = window(text)
    assert (found.start, found.end) == (start, end), found


def test_after_work_without_a_day_is_tonight_or_tomorrow_evening():
    assert window("after work").label == "today after work"
    late = local(2026, 12, 1, 20, 30)
    found = window("after work", now=late)
    assert (found.start, found.end) == (local(2026, 12, 2, 17), local(2026, 12, 2, 20))


@pytest.mark.parametrize(
    "text",
    [
        "any time", "asap", "as soon as possible", "soonest please", "earliest",
        "new patient exam asap please, tooth has been a bit sensitive",
        "whatever's soonest", "first available please", "next available",
    ],
)  # fmt: skip
def test_any_time_means_the_next_fortnight(text):
    found = wish(text)
    assert found is not None
    assert (found.start, found.end) == (NOW, NOW + dt.timedelta(days=14))


def test_a_bare_weekday_is_today_while_time_remains_and_next_week_after():
    assert window("tuesday").start == NOW  # today, from now
    assert window("tuesday").end == local(2026, 12, 2)
    late = local(2026, 12, 1, 18, 0)
    assert window("tuesday morning", now=late).start == local(2026, 12, 8, 8)
    assert window("this morning", now=late).start == local(2026, 12, 2, 8)


def test_a_morning_already_gone_means_tomorrows():
    found = window("morning", now=local(2026, 12, 1, 13, 0))
    assert (found.start, found.end) == (local(2026, 12, 2, 8), local(2026, 12, 2, 12))


def test_next_monday_morning_after_the_clocks_go_back_is_eight_gmt():
    # Saturday 24 October 2026, 11:00 BST; the clocks go back on Sunday 25 October.
    now = dt.datetime(2026, 10, 24, 10, 0, tzinfo=dt.UTC)
    found = window("next monday morning", now=now)
    assert found.start == dt.datetime(2026, 10, 26, 8, 0, tzinfo=dt.UTC)
    assert found.end == dt.datetime(2026, 10, 26, 12, 0, tzinfo=dt.UTC)
    # And the Saturday-to-Monday window spans the 25-hour Sunday.
    weekend = window("this weekend", now=now)
    assert weekend.end == dt.datetime(2026, 10, 26, 0, 0, tzinfo=dt.UTC)


def test_a_morning_before_the_clocks_go_forward_is_eight_bst_after():
    now = dt.datetime(2026, 3, 27, 12, 0, tzinfo=dt.UTC)  # Friday; BST from Sunday 29 March
    found = window("monday morning", now=now)
    assert found.start == dt.datetime(2026, 3, 30, 7, 0, tzinfo=dt.UTC)


def test_windows_are_aware_utc_and_at_most_31_days():
    for text in ["next week", "next month", "asap", "3rd january", "in 2 weeks", "this weekend"]:
        found = wish(text)
        assert found is not None, text
        assert found.start.utcoffset() == dt.timedelta(0)
        assert found.start < found.end <= found.start + dt.timedelta(days=31)
        assert found.start >= NOW


def test_a_date_already_past_this_year_means_next_year():
    assert window("3rd january").start == local(2027, 1, 3)


@pytest.mark.parametrize(
    "text",
    ["how much is botox", "yes please", "I'm 16", "07911 123456", "do you have any slots", ""],
)
def test_it_reads_no_time_wish_when_there_is_none(text):
    assert wish(text) is None
