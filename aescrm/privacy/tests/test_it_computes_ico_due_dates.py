"""Due dates follow the ICO rule: the same date next month, or that month's last day where the
date does not exist; an extension adds one or two further months counted from receipt."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aescrm.privacy.deadlines import due_date, extended_due_date

D = dt.date


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (D(2026, 1, 31), D(2026, 2, 28)),  # no 31 February: the last day of February
        (D(2028, 1, 31), D(2028, 2, 29)),  # leap year
        (D(2028, 1, 30), D(2028, 2, 29)),
        (D(2028, 1, 29), D(2028, 2, 29)),
        (D(2026, 1, 28), D(2026, 2, 28)),
        (D(2028, 2, 29), D(2028, 3, 29)),  # received on a leap day
        (D(2026, 3, 31), D(2026, 4, 30)),
        (D(2026, 5, 31), D(2026, 6, 30)),
        (D(2026, 8, 31), D(2026, 9, 30)),
        (D(2026, 12, 31), D(2027, 1, 31)),  # over the year end
        (D(2026, 12, 1), D(2027, 1, 1)),
        (D(2026, 2, 28), D(2026, 3, 28)),  # not the last day of March: the same date
        (D(2026, 4, 30), D(2026, 5, 30)),
        (D(2026, 6, 15), D(2026, 7, 15)),
        (D(2100, 1, 31), D(2100, 2, 28)),  # 2100 is not a leap year
        (D(2000, 1, 31), D(2000, 2, 29)),  # 2000 was
    ],
)
def test_due_one_calendar_month_after_receipt(received: dt.date, due: dt.date) -> None:
    assert due_date(received) == due


@pytest.mark.parametrize(
    ("received", "months", "due"),
    [
        (D(2026, 1, 31), 1, D(2026, 3, 31)),
        (D(2026, 1, 31), 2, D(2026, 4, 30)),
        (D(2027, 11, 30), 2, D(2028, 2, 29)),  # three months lands on a leap day
        (D(2027, 11, 30), 1, D(2028, 1, 30)),
        (D(2026, 12, 31), 1, D(2027, 2, 28)),
        (D(2026, 10, 31), 2, D(2027, 1, 31)),
        (D(2026, 3, 15), 2, D(2026, 6, 15)),
    ],
)
def test_extension_counts_further_months_from_receipt(
    received: dt.date, months: int, due: dt.date
) -> None:
    assert extended_due_date(received, months) == due


@pytest.mark.parametrize("months", [0, 3, -1, 12])
def test_an_extension_is_one_or_two_months_only(months: int) -> None:
    with pytest.raises(ValueError, match="1 or 2"):
        extended_due_date(D(2026, 1, 10), months)


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(9998, 9, 30)))
def test_every_due_date_is_next_month_on_the_same_day_or_its_last_day(received: dt.date) -> None:
    due = due_date(received)
    assert (due.year * 12 + due.month) - (received.year * 12 + received.month) == 1
    last_day = (due.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    assert due.day == received.day or (due == last_day and received.day > last_day.day)
    assert received < due <= extended_due_date(received, 1) < extended_due_date(received, 2)
