"""Take a real copy of the main test database and open it as a second connection.

SQLite: the online backup API copies the file. PostgreSQL: ``pg_dump`` into a
new database, as the application role with the system jobs' RLS bypass. The
key vault is not copied: backups of the main database never hold patient keys
(docs/decisions/0022).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection, connections
from django.db.utils import load_backend


def _pg_env(settings: dict) -> dict[str, str]:
    return {
        **os.environ,
        "PGHOST": str(settings.get("HOST") or "127.0.0.1"),
        "PGPORT": str(settings.get("PORT") or 5432),
        "PGUSER": str(settings["USER"]),
        "PGPASSWORD": str(settings.get("PASSWORD") or ""),
        # A backup job reads every clinic: the same bypass the system jobs use.
        "PGOPTIONS": "-c app.rls_bypass=on",
    }


@contextmanager
def database_copy(tmp_path: Path) -> Iterator[str]:
    """A copy of the main database as it is now; yields the alias to read it through."""
    live = connection.settings_dict
    alias = f"backup_{uuid.uuid4().hex[:8]}"
    copy = dict(live)
    if connection.vendor == "sqlite":
        target = tmp_path / "backup.sqlite3"
        source = sqlite3.connect(live["NAME"])
        with sqlite3.connect(target) as dest:
            source.backup(dest)
        source.close()
        copy["NAME"] = str(target)
    else:
        name = f"{live['NAME']}_backup_{alias[-8:]}"
        env = _pg_env(live)
        dump = tmp_path / "backup.sql"
        subprocess.run(
            ["pg_dump", "--no-owner", "--enable-row-security", "-f", str(dump), live["NAME"]],
            env=env,
            check=True,
        )
        subprocess.run(["createdb", name], env=env, check=True)
        subprocess.run(
            ["psql", "-q", "-v", "ON_ERROR_STOP=1", "-f", str(dump), name],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        copy["NAME"] = name
    # A connection made by hand rather than declared in settings: Django's test
    # isolation leaves such dynamically created connections alone.
    wrapper = load_backend(copy["ENGINE"]).DatabaseWrapper(copy, alias)
    connections[alias] = wrapper
    try:
        yield alias
    finally:
        wrapper.close()
        del connections[alias]
        if connection.vendor != "sqlite":
            subprocess.run(["dropdb", "--if-exists", copy["NAME"]], env=_pg_env(live), check=True)
