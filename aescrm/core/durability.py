"""Commit small bookkeeping writes without waiting for the disk.

On PostgreSQL every autocommit statement waits for its WAL record to reach
disk (an fsync). For a read's audit entry and a rate-limit counter that wait
is most of the request's cost. ``relaxed_commit`` runs the block in its own
transaction with ``synchronous_commit = off``: the commit returns at once,
and a crash of the database server can lose at most the last ~0.6 s of such
rows (never corrupt them). Inside an outer transaction it changes nothing:
the rows then commit, durably, with the change they belong to.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def relaxed_commit() -> Iterator[None]:
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        yield
