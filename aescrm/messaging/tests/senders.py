"""Real sender processes (`aescrm send_messages`) on the test database, against a fake Twilio.

The test and the sender share the database the test runs on (a file on
SQLite, a database on PostgreSQL), so the tests that use these need
``transactional_db``: what the test writes must be committed for the sender to
see it. Messages are queued for later and then made due, so that the test
process's own inline task (Huey runs tasks at once in tests) leaves them to the
sender under test.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from django.db import connections
from django.utils import timezone

from aescrm.core.tenancy import clinic_scope
from aescrm.messaging import services
from aescrm.messaging.models import Message, Status
from aescrm.messaging.tests.conftest import PUBLIC, connect
from aescrm.testing.fakes.twilio import FakeTwilio
from aescrm.testing.fixtures import ClinicWorld

ROOT = Path(__file__).resolve().parents[3]
NOON = dt.time(12, 0)


def database_url(alias: str = "default") -> str:
    """A test database, as a URL for another process."""
    wrapper = connections[alias]
    db = wrapper.settings_dict
    if wrapper.vendor == "sqlite":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{user}:{password}@{host}:{port}/{db['NAME']}"


class Sender:
    """One `aescrm send_messages` process; ``kill`` is SIGKILL: no clean-up of any kind."""

    def __init__(
        self, fake: FakeTwilio, log: Path, *, lease: int = 5, http_timeout: int = 2
    ) -> None:
        self.fake = fake
        self.log = log
        self.env = dict(
            os.environ,
            DATABASE_URL=database_url(),
            # The patients' keys: the test key vault, not the one beside the dev database.
            KEYVAULT_DATABASE_URL=database_url("keyvault"),
            AESCRM_TESTING="1",
            MESSAGING_MODE="live",
            TWILIO_API_BASE=fake.api_base,
            PUBLIC_BASE_URL=PUBLIC,
            MESSAGING_LEASE_SECONDS=str(lease),
            MESSAGING_HTTP_TIMEOUT=str(http_timeout),
            MESSAGING_RETRY_BASE_SECONDS="1",
            LOG_LEVEL="WARNING",
        )
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, *, loop: bool = False, interval: float = 0.2) -> Sender:
        command = [sys.executable, "-m", "aescrm.cli", "send_messages"]
        command += ["--loop", "--interval", str(interval)] if loop else ["--once"]
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=out, stderr=out, start_new_session=True
            )
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        assert self.alive(), f"the sender had already exited; see {self.log}"
        os.kill(self.pid, signal.SIGKILL)
        assert self.proc is not None
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        """SIGTERM (a --loop sender finishes its sweep), then wait for it."""
        if self.alive():
            os.kill(self.pid, signal.SIGTERM)
        self.wait()

    def wait(self, timeout: float = 60) -> int:
        assert self.proc is not None
        code = self.proc.wait(timeout=timeout)
        assert code == 0, f"the sender exited with {code}; see {self.log}:\n{self.log.read_text()}"
        return code

    def ensure_dead(self) -> None:
        if self.alive():
            os.kill(self.pid, signal.SIGKILL)
            assert self.proc is not None
            self.proc.wait(timeout=10)


def connect_all_day(world: ClinicWorld) -> None:
    """The clinic on the fake Twilio, with no quiet hours (the test may run at any hour)."""
    connect(world, quiet_start=NOON, quiet_end=NOON)


def queue(world: ClinicWorld, bodies: list[tuple[str, str]]) -> list[Message]:
    """Queue one message per (phone, body) — for later, then made due now (see above)."""
    later = timezone.now() + dt.timedelta(days=1)
    patients: dict[str, object] = {}
    queued = []
    with clinic_scope(world.clinic.pk):
        for phone, body in bodies:
            if phone not in patients:
                patients[phone] = world.make_patient(phone=phone)
            queued.append(
                services.message_queue(
                    caller=world.caller(),
                    patient=patients[phone],  # type: ignore[arg-type]
                    body=body,
                    kind="service",
                    now=later,
                )
            )
        Message.objects.filter(pk__in=[m.pk for m in queued]).update(
            next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
        )
    return queued


def rows(world: ClinicWorld, messages: list[Message]) -> list[Message]:
    with clinic_scope(world.clinic.pk):
        found = list(Message.objects.filter(pk__in=[m.pk for m in messages]))
        for message in found:  # decrypt while the clinic's scope is on
            str(message.to_address), str(message.body)
        return found


def wait_until(check: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting until {what}")
        time.sleep(0.1)


def all_sent(world: ClinicWorld, messages: list[Message]) -> Callable[[], bool]:
    ids = [m.pk for m in messages]

    def check() -> bool:
        with clinic_scope(world.clinic.pk):
            return not Message.objects.filter(pk__in=ids).exclude(status=Status.SENT).exists()

    return check


def assert_each_sent_exactly_once(
    world: ClinicWorld, fake: FakeTwilio, messages: list[Message]
) -> None:
    """What a clinic would check against Twilio's log: one text per message, each recorded."""
    taken = fake.taken()
    stored = rows(world, messages)
    assert len(stored) == len(messages)
    assert [m.status for m in stored] == [Status.SENT] * len(stored)
    assert {m.provider for m in stored} == {"twilio"}
    by_sid = {m["sid"]: m for m in taken}
    # Each row holds a sid Twilio gave out, for its own number and text, and no sid twice.
    assert len({m.provider_id for m in stored}) == len(stored)
    for message in stored:
        twilio_side = by_sid[message.provider_id]
        assert (twilio_side["to"], twilio_side["body"]) == (
            str(message.to_address),
            str(message.body),
        )
    # And Twilio took exactly as many texts for each number and text as were queued.
    wanted = Counter((str(m.to_address), str(m.body)) for m in stored)
    got = Counter((m["to"], m["body"]) for m in taken)
    assert got == wanted, f"Twilio took {sorted(got.items())}, queued {sorted(wanted.items())}"
