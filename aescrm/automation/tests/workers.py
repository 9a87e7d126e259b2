"""Real worker processes on the test database, and clinics whose reminders are all due now.

Two kinds of worker: `aescrm run_automations` (steps, then sends) and Huey's
own consumer, `aescrm run_huey`, on Redis. Either shares the test's database
(see ``aescrm.messaging.tests.senders``: the tests need ``transactional_db``)
and sends to a fake Twilio over HTTP. Reminders are booked days ahead through
the booking service, as the front desk books them, and their 48-hour runs are
then made due now, so nothing in the test process itself takes them.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from django.utils import timezone

from aescrm.automation import recipes
from aescrm.automation.models import Run, RunStatus
from aescrm.automation.recipes import REMINDER_48
from aescrm.core.tenancy import clinic_scope
from aescrm.messaging.models import Message, Status
from aescrm.messaging.tests.conftest import connect
from aescrm.messaging.tests.senders import NOON, ROOT, Sender
from aescrm.patients import services
from aescrm.testing.fakes.twilio import FakeTwilio
from aescrm.testing.fixtures import ClinicWorld, build_world

SLOTS_PER_DAY = 24  # half-hour appointments, 08:00 to 20:00


class Worker(Sender):
    """One `aescrm run_automations` process, or (``huey``) one Huey consumer on Redis."""

    def __init__(
        self,
        fake: FakeTwilio,
        log: Path,
        *,
        lease: int = 5,
        automation_lease: int = 3,
        redis_url: str = "",
        huey_name: str = "",
    ) -> None:
        super().__init__(fake, log, lease=lease)
        self.env.update(
            AUTOMATION_LEASE_SECONDS=str(automation_lease),
            # The workers' own pace is under test, not a clinic number's sending limits.
            MESSAGING_SEGMENTS_PER_MINUTE="0",
            MESSAGING_MAX_PER_RECIPIENT_PER_HOUR="0",
        )
        if redis_url:
            self.env.update(REDIS_URL=redis_url, HUEY_NAME=huey_name)

    def start(self, *, loop: bool = False, interval: float = 0.2) -> Worker:
        command = [sys.executable, "-m", "aescrm.cli", "run_automations"]
        command += ["--loop", "--interval", str(interval)] if loop else ["--once"]
        return self._spawn(command)

    def start_huey(self, *, threads: int = 2) -> Worker:
        command = [sys.executable, "-m", "aescrm.cli", "run_huey", "--workers", str(threads)]
        return self._spawn(command)

    def _spawn(self, command: list[str]) -> Worker:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=out, stderr=out, start_new_session=True
            )
        return self

    def said(self, words: str) -> int:
        """How many lines of the process's log contain ``words``."""
        if not self.log.exists():
            return 0
        return sum(words in line for line in self.log.read_text().splitlines())


def world_with_reminders(n: int, count: int, *, days_ahead: int = 5) -> ClinicWorld:
    """Clinic ``n`` (from 0) with the built-in recipes, on the fake Twilio (a number of its
    own, no quiet hours), and ``count`` appointments booked ``days_ahead`` days on."""
    world = build_world(f"clinic-{n:02d}", f"Clinic {n:02d}")
    with clinic_scope(world.clinic.pk):
        recipes.install_all()
    connect(world, number=f"+4477009{n:02d}000", quiet_start=NOON, quiet_end=NOON)
    assert world.treatment and world.practitioner
    first_day = timezone.localdate() + dt.timedelta(days=days_ahead)
    with clinic_scope(world.clinic.pk):
        for i in range(count):
            day, slot = divmod(i, SLOTS_PER_DAY)
            starts = dt.datetime.combine(
                first_day + dt.timedelta(days=day),
                dt.time(8 + slot // 2, 30 * (slot % 2)),
                tzinfo=world.clinic.tz,
            )
            patient = world.make_patient(first_name=f"P{n}x{i}", phone=phone(n, i))
            services.appointment_book(
                caller=world.caller(),
                patient=patient,
                treatment=world.treatment,
                practitioner=world.practitioner,
                starts_at=starts,
            )
    return world


def phone(clinic: int, i: int) -> str:
    return f"+4477{clinic:02d}{i:06d}"


def make_due_now(world: ClinicWorld) -> list[Run]:
    """The clinic's 48-hour reminders, due now (and for the next hour)."""
    now = timezone.now()
    with clinic_scope(world.clinic.pk):
        runs = Run.objects.filter(rule__recipe=REMINDER_48, status=RunStatus.SCHEDULED)
        runs.update(due_at=now - dt.timedelta(seconds=1), latest_at=now + dt.timedelta(hours=1))
        return list(runs.select_related("patient"))


def reminders_done(worlds: list[ClinicWorld], total: int) -> Callable[[], bool]:
    """True once every reminder run has finished and every text it queued is sent."""

    def check() -> bool:
        done = sent = 0
        for world in worlds:
            with clinic_scope(world.clinic.pk):
                done += Run.objects.filter(rule__recipe=REMINDER_48, status=RunStatus.DONE).count()
                sent += Message.objects.filter(status=Status.SENT).count()
        return done == total and sent == total

    return check


def assert_each_reminded_exactly_once(
    worlds: list[ClinicWorld], fake: FakeTwilio, per_clinic: int
) -> None:
    """Twilio took one reminder for every patient with a due reminder, none twice, none
    missing, each recorded on its row with the sid Twilio gave it."""
    taken = fake.taken()
    expected = {phone(n, i) for n in range(len(worlds)) for i in range(per_clinic)}
    per_number = Counter(m["to"] for m in taken)
    twice = sorted(number for number, times in per_number.items() if times > 1)
    missing = sorted(expected - set(per_number))
    assert not twice and not missing, f"sent twice to {twice[:5]}..., never to {missing[:5]}..."
    assert set(per_number) == expected
    assert all("a reminder of your appointment" in m["body"] for m in taken)
    sids = {m["sid"] for m in taken}
    for world in worlds:
        with clinic_scope(world.clinic.pk):
            runs = Run.objects.filter(rule__recipe=REMINDER_48)
            assert set(runs.values_list("status", flat=True)) == {RunStatus.DONE}
            rows = list(Message.objects.values_list("status", "provider_id"))
        assert len(rows) == per_clinic
        assert {status for status, _ in rows} == {Status.SENT}
        assert {sid for _, sid in rows} <= sids
    assert len(taken) == len(worlds) * per_clinic
