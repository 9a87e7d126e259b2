"""Per-API-key rate limits: a fixed one-minute window counted in the database.

One atomic ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` per request (SQLite
3.35+ and PostgreSQL), so concurrent requests from several processes are
counted exactly, with no cache service needed.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from functools import cache

from django.db import connection

from aescrm.accounts.models import ApiRateWindow
from aescrm.core.durability import single_row_source

WINDOW_SECONDS = 60


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    used: int
    retry_after: int


@cache
def _column_types(vendor: str) -> list[str]:
    # Keyed by vendor: the column types are those of the engine in use.
    meta = ApiRateWindow._meta
    return [
        str(meta.get_field(name).db_type(connection))  # type: ignore[union-attr]
        for name in ("api_key", "window_start", "count")
    ]


def hit(key_id: uuid.UUID, limit: int, now: float | None = None) -> RateDecision:
    now = time.time() if now is None else now
    window = int(now // WINDOW_SECONDS)
    table = ApiRateWindow._meta.db_table
    key = ApiRateWindow._meta.get_field("api_key").get_db_prep_value(key_id, connection)
    # A lost count after a database crash is harmless: no need to wait for the disk.
    source = single_row_source(_column_types(connection.vendor))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (api_key_id, window_start, count) {source} "
            f"ON CONFLICT (api_key_id, window_start) DO UPDATE SET count = {table}.count + 1 "
            "RETURNING count",
            [key, window, 1],
        )
        used = int(cursor.fetchone()[0])
        if used == 1:
            # First request of a new window: forget this key's old windows.
            cursor.execute(
                f"DELETE FROM {table} WHERE api_key_id = %s AND window_start < %s",  # noqa: S608
                [key, window],
            )
    retry_after = WINDOW_SECONDS - int(now % WINDOW_SECONDS)
    return RateDecision(allowed=used <= limit, used=used, retry_after=max(retry_after, 1))
