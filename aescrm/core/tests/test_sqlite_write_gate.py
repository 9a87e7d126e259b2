"""SQLite writers queue at the write gate: none fails, none is lost, none waits forever."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from typing import Any

import pytest
from django.db import connection, connections, transaction

from aescrm.accounts.models import LoginFailure

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the write gate belongs to the SQLite backend"
)
WRITERS, ROUNDS = 6, 15


def test_concurrent_writers_all_succeed_and_every_row_is_kept(transactional_db: Any) -> None:
    """Six threads mixing transactions and autocommit writes: all rows land, no 'locked' errors."""
    start_line = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            start_line.wait(timeout=10)
            for i in range(ROUNDS):
                if i % 2:
                    with transaction.atomic():
                        LoginFailure.objects.create(account_hash=f"w{n}-{i}")
                else:
                    LoginFailure.objects.create(account_hash=f"w{n}-{i}")  # autocommit
        except BaseException as exc:  # surfaced in the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert LoginFailure.objects.count() == WRITERS * ROUNDS


def test_a_failed_transaction_gives_the_gate_back(transactional_db: Any) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        LoginFailure.objects.create(account_hash="rolled back")
        raise RuntimeError("boom")
    assert connection.holds_gate is False  # type: ignore[attr-defined]

    done = threading.Event()

    def other_writer() -> None:
        LoginFailure.objects.create(account_hash="after")
        connections.close_all()
        done.set()

    threading.Thread(target=other_writer).start()
    assert done.wait(timeout=10)
    assert list(LoginFailure.objects.values_list("account_hash", flat=True)) == ["after"]


def test_another_process_waits_for_the_gate_rather_than_failing(transactional_db: Any) -> None:
    """A second process (as a web worker beside the task worker) queues behind a writer."""
    gate = connection.write_gate  # type: ignore[attr-defined]
    script = (
        "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT);"
        "fcntl.flock(fd, fcntl.LOCK_EX); print('got it', flush=True)"
    )
    with transaction.atomic():
        LoginFailure.objects.create(account_hash="holder")
        child = subprocess.Popen(
            [sys.executable, "-c", script, str(gate.lock_path)], stdout=subprocess.PIPE, text=True
        )
        time.sleep(0.3)
        assert child.poll() is None, "the other process got the gate while a writer held it"
    out, _ = child.communicate(timeout=10)
    assert out.strip() == "got it"
