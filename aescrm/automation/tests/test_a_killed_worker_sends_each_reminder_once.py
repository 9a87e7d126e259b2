"""A worker (`aescrm run_automations --loop`, a real process) SIGKILLed mid-run and started
again sends every due reminder exactly once: killed while it takes the automation steps (runs
claimed, some done, none half-done), while Twilio has a text in hand, and after Twilio took a
text but before the worker recorded it."""

from __future__ import annotations

from pathlib import Path

import pytest

from aescrm.automation import engine
from aescrm.automation.models import Run, RunStatus
from aescrm.automation.recipes import REMINDER_48
from aescrm.automation.tests.workers import (
    Worker,
    assert_each_reminded_exactly_once,
    make_due_now,
    reminders_done,
    world_with_reminders,
)
from aescrm.core.tenancy import clinic_scope
from aescrm.messaging.tests.senders import wait_until
from aescrm.testing.fakes.twilio import FakeTwilio
from aescrm.testing.fixtures import ClinicWorld

pytestmark = pytest.mark.usefixtures("transactional_db", "allow_audit_flush")

REMINDERS = 60


def _states(world: ClinicWorld) -> dict[str, int]:
    """How many reminder runs are done, claimed (leased to a worker) and still waiting."""
    with clinic_scope(world.clinic.pk):
        runs = Run.objects.filter(rule__recipe=REMINDER_48)
        return {
            "done": runs.filter(status=RunStatus.DONE).count(),
            "claimed": runs.filter(status=RunStatus.SCHEDULED, claimed_until__isnull=False).count(),
            "waiting": runs.filter(status=RunStatus.SCHEDULED, claimed_until__isnull=True).count(),
        }


def _finish(worlds: list[ClinicWorld], fake: FakeTwilio, log: Path) -> None:
    """A fresh worker, started at once: it waits out the dead one's leases, then finishes."""
    worker = Worker(fake, log).start(loop=True)
    try:
        wait_until(reminders_done(worlds, REMINDERS), timeout=40, what="every reminder is sent")
    finally:
        worker.stop()


def test_killed_while_taking_the_steps(twilio_fake: FakeTwilio, tmp_path: Path) -> None:
    world = world_with_reminders(0, REMINDERS)
    make_due_now(world)
    twilio_fake.latency = 0.01
    first = Worker(twilio_fake, tmp_path / "first.log").start(loop=True)
    try:
        wait_until(
            lambda: _states(world)["done"] >= 5, timeout=30, what="the worker takes some steps"
        )
        first.kill()
    finally:
        first.ensure_dead()
    landed = _states(world)
    # Where the kill landed: some runs done (their texts queued with them), the rest of the
    # batch still claimed by the dead worker: none half-done.
    assert landed["done"] < REMINDERS and landed["claimed"] > 0, landed

    _finish([world], twilio_fake, tmp_path / "second.log")
    assert_each_reminded_exactly_once([world], twilio_fake, REMINDERS)


@pytest.mark.parametrize(
    ("stage", "twilio_goes_on"),
    [("received", False), ("received", True), ("taken", True)],
    ids=["during-call-not-taken", "during-call-taken-late", "after-call-unrecorded"],
)
def test_killed_around_a_call_to_twilio(
    twilio_fake: FakeTwilio, tmp_path: Path, stage: str, twilio_goes_on: bool
) -> None:
    world = world_with_reminders(0, REMINDERS)
    make_due_now(world)
    twilio_fake.queue_seconds = None if stage == "taken" else 0.0
    held = twilio_fake.hold("POST", nth=7, stage=stage)
    first = Worker(twilio_fake, tmp_path / "first.log").start(loop=True)
    try:
        held.wait()
        first.kill()
    finally:
        first.ensure_dead()
    held.release(go_on=twilio_goes_on)
    # The worker takes a claimed batch of steps, then sends the texts they queued: the first
    # batch done, six of its texts sent, the seventh in the call; the rest still waiting.
    landed = _states(world)
    batch = min(engine.BATCH, REMINDERS)
    assert landed["done"] == batch and not landed.get("claimed"), landed
    assert landed.get("waiting", 0) == REMINDERS - batch, landed

    _finish([world], twilio_fake, tmp_path / "second.log")
    assert_each_reminded_exactly_once([world], twilio_fake, REMINDERS)
