"""Database housekeeping run by the worker."""

from __future__ import annotations

from django.db import connection


def refresh_planner_statistics() -> None:
    """Give SQLite's query planner row counts (PostgreSQL's autovacuum does this itself).

    Without statistics SQLite guesses ~10 rows per clinic and walks a whole
    clinic's patients in date order to find three search candidates.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
