"""The queue's own baseline for bench/automation.py: a Huey with one no-op task, no Django.

The same storage the CRM's workers use in the same run (RedisHuey when
REDIS_URL is set, else SqliteHuey in AESCRM_VAR_DIR), under HUEY_NAME with
"-noop" after it (a queue of its own), so `huey_consumer bench.huey_noop.huey`
drains exactly what the benchmark queued. ``noop`` returns 1 so each execution
leaves a result to count.
"""

from __future__ import annotations

import os
from pathlib import Path

from huey import Huey, RedisHuey, SqliteHuey

NAME = f"{os.environ.get('HUEY_NAME', 'aescrm-bench')}-noop"
REDIS_URL = os.environ.get("REDIS_URL", "")


def _huey() -> Huey:
    if REDIS_URL:
        return RedisHuey(NAME, url=REDIS_URL, utc=True)
    var = Path(os.environ.get("AESCRM_VAR_DIR", "var"))
    return SqliteHuey(NAME, filename=str(var / "huey-noop.sqlite3"), utc=True)


huey = _huey()


@huey.task()
def noop() -> int:
    return 1
