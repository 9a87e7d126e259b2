"""Django's SQLite backend, with writers queued at the write gate (``gate``).

A transaction takes the gate before ``BEGIN IMMEDIATE`` and gives it back at
commit, rollback or close; a write outside a transaction (autocommit) takes
it for that one statement. Reads outside transactions never wait.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.sqlite3 import base as sqlite_base

from aescrm.core.sqlite.gate import WriteGate, gate_for

_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "WITH")


class GatedCursor(sqlite_base.SQLiteCursorWrapper):
    wrapper: DatabaseWrapper

    def execute(self, query: str, params: Any = None) -> Any:
        if not self._needs_gate(query):
            return super().execute(query, params)
        self.wrapper.write_gate.acquire()  # type: ignore[union-attr]
        try:
            return super().execute(query, params)
        finally:
            self.wrapper.write_gate.release()  # type: ignore[union-attr]

    def executemany(self, query: str, param_list: Any) -> Any:
        if not self._needs_gate(query):
            return super().executemany(query, param_list)
        self.wrapper.write_gate.acquire()  # type: ignore[union-attr]
        try:
            return super().executemany(query, param_list)
        finally:
            self.wrapper.write_gate.release()  # type: ignore[union-attr]

    def _needs_gate(self, query: str) -> bool:
        """A write in autocommit: it queues at the gate for its one statement."""
        if self.wrapper.write_gate is None or self.wrapper.holds_gate:
            return False
        if self.connection.in_transaction:
            return False
        return query.lstrip()[:7].upper().startswith(_WRITES)


class DatabaseWrapper(sqlite_base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.holds_gate = False
        name = str(self.settings_dict.get("NAME") or "")
        in_memory = not name or self.creation.is_in_memory_db(name)
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        self.write_gate: WriteGate | None = None if in_memory else gate_for(name, timeout)

    def create_cursor(self, name: str | None = None) -> Any:
        cursor = self.connection.cursor(factory=GatedCursor)
        cursor.wrapper = self
        return cursor

    def _enter_gate(self) -> None:
        if self.write_gate is not None and not self.holds_gate:
            self.write_gate.acquire()
            self.holds_gate = True

    def _leave_gate(self) -> None:
        if self.holds_gate and self.write_gate is not None:
            self.holds_gate = False
            self.write_gate.release()

    def _start_transaction_under_autocommit(self) -> None:
        self._enter_gate()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._leave_gate()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]
        finally:
            self._leave_gate()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]
        finally:
            self._leave_gate()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]
        finally:
            self._leave_gate()
