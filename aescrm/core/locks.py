"""A lock held until the end of the current transaction, by name.

For check-then-insert where no unique key can settle a race (a patient's
phone is encrypted, so the database cannot hold it unique): the second
transaction waits at the lock until the first commits, then its check sees
the first's row. PostgreSQL: a transaction-scoped advisory lock on a 64-bit
hash of the name. SQLite: nothing to do, since writing transactions already
run one at a time (BEGIN IMMEDIATE behind the write gate, aescrm.core.sqlite).
Names should hold no personal data (use a blind index, not the value).
"""

from __future__ import annotations

import hashlib

from django.db import connection


def lock_until_commit(name: str) -> None:
    if not connection.in_atomic_block:
        raise RuntimeError("lock_until_commit needs a transaction (transaction.atomic)")
    if connection.vendor != "postgresql":
        return
    key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
