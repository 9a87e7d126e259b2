"""Rate limits of the public endpoint: per client IP and per clinic, counted in the database.

The same design as ``aescrm.accounts.ratelimit``: a fixed one-minute window,
one atomic ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` per bucket, so
several web processes count exactly with no cache service.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import time
import uuid
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db import connection

from aescrm.core.durability import single_row_source
from aescrm.public.models import PublicRateWindow

WINDOW_SECONDS = 60


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    used: int
    retry_after: int


# One IPv6 subscriber is given a whole /64: every address in it is one visitor.
IPV6_PREFIX = 64


def client_network(ip: str | None) -> str:
    """What one visitor can vary at will: an IPv4 address, or an IPv6 /64."""
    try:
        address = ipaddress.ip_address(ip or "")
    except ValueError:
        return ip or "-"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{address}/{IPV6_PREFIX}", strict=False))
    return str(address)


def ip_bucket(ip: str | None) -> str:
    """A keyed hash of the client's network: the table never holds an address."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(),
        f"public-ip|{client_network(ip)}".encode(),
        hashlib.sha256,
    ).hexdigest()
    return f"ip:{digest[:40]}"


def clinic_bucket(clinic_id: uuid.UUID) -> str:
    return f"clinic:{clinic_id}"


@cache
def _column_types(vendor: str) -> list[str]:
    meta = PublicRateWindow._meta
    return [
        str(meta.get_field(name).db_type(connection))  # type: ignore[union-attr]
        for name in ("bucket", "window_start", "count")
    ]


def hit(bucket: str, limit: int, now: float | None = None) -> RateDecision:
    now = time.time() if now is None else now
    window = int(now // WINDOW_SECONDS)
    table = PublicRateWindow._meta.db_table
    source = single_row_source(_column_types(connection.vendor))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (bucket, window_start, count) {source} "
            f"ON CONFLICT (bucket, window_start) DO UPDATE SET count = {table}.count + 1 "
            "RETURNING count",
            [bucket, window, 1],
        )
        used = int(cursor.fetchone()[0])
        if used == 1:
            # A new window for this bucket: forget every bucket's past windows.
            cursor.execute(
                f"DELETE FROM {table} WHERE window_start < %s",  # noqa: S608
                [window],
            )
    retry_after = WINDOW_SECONDS - int(now % WINDOW_SECONDS)
    return RateDecision(allowed=used <= limit, used=used, retry_after=max(retry_after, 1))
