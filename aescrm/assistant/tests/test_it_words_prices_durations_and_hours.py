"""How catalogue facts read: money, lengths of time, and opening hours in British English."""

from __future__ import annotations

import datetime as dt

import pytest

from aescrm.assistant.wording import duration, money, opening_hours


@pytest.mark.parametrize(
    ("pence", "words"),
    [(25000, "£250"), (7250, "£72.50"), (400000, "£4,000"), (99, "£0.99"), (0, "£0")],
)
def test_money(pence: int, words: str) -> None:
    assert money(pence) == words


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        (1, "1 minute"),
        (45, "45 minutes"),
        (60, "an hour"),
        (90, "an hour and a half"),
        (75, "an hour 15 minutes"),
        (120, "2 hours"),
        (150, "2 hours 30 minutes"),
    ],
)
def test_duration(minutes: int, words: str) -> None:
    assert duration(minutes) == words


def test_hours_with_gaps_and_scattered_closed_days() -> None:
    t = dt.time
    spans = [
        (0, t(9), t(12)),
        (0, t(14), t(18)),
        (1, t(9), t(12)),
        (1, t(14), t(18)),
        (3, t(8, 30), t(20)),
        (4, t(8, 30), t(20)),
    ]
    assert opening_hours(spans) == (
        "We are open Monday and Tuesday 9:00–12:00 and 14:00–18:00, Thursday and Friday "
        "8:30–20:00; closed Wednesday, Saturday and Sunday."
    )


def test_no_hours_no_sentence() -> None:
    assert opening_hours([]) == ""
