"""Bank holidays in England and Wales, from the ``holidays`` package (subdivision ENG)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def _year(year: int) -> dict[dt.date, str]:
    # Christmas Day or Boxing Day on a weekend appears both on the day and as
    # the "(observed)" substitute Monday or Tuesday: a clinic shut for the
    # holiday is shut on both.
    return dict(holidays.country_holidays("GB", subdiv="ENG", years=year, language="en_GB"))


def bank_holidays_between(first: dt.date, last: dt.date) -> dict[dt.date, str]:
    """Every England and Wales bank holiday from ``first`` to ``last`` inclusive, with its name."""
    found: dict[dt.date, str] = {}
    for year in range(first.year, last.year + 1):
        found.update({d: name for d, name in _year(year).items() if first <= d <= last})
    return found
