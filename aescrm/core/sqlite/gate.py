"""One SQLite writer at a time, queued instead of polled.

SQLite lets one connection write at a time. A second writer is told "busy"
and SQLite's busy handler sleeps — 1, 2, 5, 10 … up to 100 ms — before it
tries again, so under a few concurrent requests writers spend most of their
time asleep while the lock is free. The gate queues writers instead: a lock
per process for its threads, and an ``flock`` on a file beside the database
for the processes (web workers, the task worker, commands). A waiter wakes
as soon as the holder commits. SQLite's own lock and busy timeout stay as
the backstop for anything that writes without the gate.
"""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path

from django.db import OperationalError


class WriteGate:
    def __init__(self, database_path: str, timeout: float) -> None:
        self.lock_path = Path(f"{database_path}.writegate")
        self.timeout = timeout
        self._threads = threading.Lock()
        self._fd: int | None = None
        self._pid = 0

    def _file(self) -> int:
        # flock belongs to the open file description: a descriptor inherited
        # across fork would be shared with the parent, so each process opens its own.
        if self._fd is None or self._pid != os.getpid():
            self._fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        return self._fd

    def acquire(self) -> None:
        if not self._threads.acquire(timeout=self.timeout):
            raise OperationalError("database is locked (waited for the write gate)")
        try:
            fcntl.flock(self._file(), fcntl.LOCK_EX)
        except BaseException:
            self._threads.release()
            raise

    def release(self) -> None:
        try:
            fcntl.flock(self._file(), fcntl.LOCK_UN)
        finally:
            self._threads.release()


_gates: dict[str, WriteGate] = {}
_gates_lock = threading.Lock()


def gate_for(database_path: str, timeout: float) -> WriteGate:
    with _gates_lock:
        gate = _gates.get(database_path)
        if gate is None:
            gate = _gates[database_path] = WriteGate(database_path, timeout)
        return gate
