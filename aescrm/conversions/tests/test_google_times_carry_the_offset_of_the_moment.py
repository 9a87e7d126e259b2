"""Google's conversion times carry the clinic's offset at that moment, across clock changes."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from aescrm.conversions.payloads import google_csv_time, google_time

LONDON = zoneinfo.ZoneInfo("Europe/London")


def test_the_repeated_autumn_hour_is_told_apart_by_its_offset() -> None:
    first = dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)
    second = dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC)

    assert google_time(first, LONDON) == "2026-10-25 01:30:00+01:00"
    assert google_time(second, LONDON) == "2026-10-25 01:30:00+00:00"


def test_summer_and_winter_times_and_the_import_files_wall_clock() -> None:
    summer = dt.datetime(2026, 7, 1, 8, 5, 9, 123456, tzinfo=dt.UTC)
    winter = dt.datetime(2026, 12, 1, 8, 5, 9, tzinfo=dt.UTC)

    assert google_time(summer, LONDON) == "2026-07-01 09:05:09+01:00"
    assert google_time(winter, LONDON) == "2026-12-01 08:05:09+00:00"
    assert google_csv_time(summer, LONDON) == "2026-07-01 09:05:09"
