"""Commit small bookkeeping rows without waiting for the disk.

On PostgreSQL every autocommit statement waits for its WAL record to reach
disk (an fsync). For a read's audit entry or a rate-limit counter that wait
is most of the request's cost. ``single_row_source`` writes the row source of
a one-row INSERT so that, when the statement is its own transaction, it also
sets ``synchronous_commit = off`` for that transaction alone: one round trip,
the commit returns at once, and a crash of the database server can lose at
most the last ~0.6 s of such rows (never corrupt them). Inside an outer
transaction it is a plain VALUES list: the row then commits, durably, with
the change it belongs to.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

# The subquery is evaluated once, for its side effect; "WHERE true" keeps a
# following ON CONFLICT from being parsed as a join condition.
_RELAXED_FROM = "FROM (SELECT set_config('synchronous_commit', 'off', true)) AS relaxed WHERE true"


def single_row_source(column_types: Sequence[str]) -> str:
    """``VALUES (%s, …)``, or on PostgreSQL outside a transaction a relaxed-commit SELECT.

    ``column_types`` are the columns' database types (``field.db_type(connection)``),
    used to cast the parameters in the SELECT form.
    """
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        values = ", ".join(f"%s::{column_type}" for column_type in column_types)
        return f"SELECT {values} {_RELAXED_FROM}"
    return "VALUES (" + ", ".join("%s" for _ in column_types) + ")"
