"""Create a fresh PostgreSQL database for the benchmark, or say it cannot.

Usage: python -m bench.pg URL   (e.g. postgres://aescrm_app:aescrm_app@127.0.0.1:5432/aescrm_bench)
Exit status 0: the database and its key vault (<name>_keyvault) were dropped
(if they existed) and created empty, owned by the URL's role. 3: the server is
not reachable. 1: anything else.
"""

from __future__ import annotations

import sys
from urllib.parse import urlparse

import psycopg
from psycopg import sql


def recreate(url: str) -> int:
    parts = urlparse(url)
    name = parts.path.lstrip("/")
    if not name:
        print(f"bench: {url} names no database", file=sys.stderr)
        return 1
    try:
        conn = psycopg.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=parts.username,
            password=parts.password,
            dbname="postgres",
            connect_timeout=3,
            autocommit=True,
        )
    except psycopg.OperationalError as exc:
        print(f"bench: PostgreSQL is not reachable: {str(exc).strip()}", file=sys.stderr)
        return 3
    with conn:
        # The key vault is a database of its own beside the main one (decision 0022).
        for db in (name, f"{name}_keyvault"):
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db))
            )
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db)))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(recreate(sys.argv[1]))
