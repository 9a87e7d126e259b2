"""Two Huey workers on two "machines" (two real `aescrm run_huey` processes, RedisHuey on
Redis, one PostgreSQL database) share a minute's reminders across clinics: each reminder
reaches Twilio exactly once, none is missing, and both workers did some of the work.

The test books the appointments, makes their reminders due, and queues one wake-up per
clinic on Redis (as the on-commit wake-up and the periodic sweep do); the workers take the
steps (claims with SKIP LOCKED and a lease) and send the texts (the send tasks the steps
queue land on the same Redis queue, so either worker may send any clinic's texts).
"""

from __future__ import annotations

import os
import socket
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection
from huey import RedisHuey

from aescrm.automation.tasks import run_clinic_automations
from aescrm.automation.tests.workers import (
    Worker,
    assert_each_reminded_exactly_once,
    make_due_now,
    reminders_done,
    world_with_reminders,
)
from aescrm.messaging.tests.senders import wait_until
from aescrm.testing.fakes.twilio import FakeTwilio

pytestmark = pytest.mark.usefixtures("transactional_db", "allow_audit_flush")

REDIS_URL = os.environ.get("AESCRM_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
CLINICS = 6
PER_CLINIC = 10
STARTED = "Huey consumer started"
EXECUTED = "Executing aescrm."


def _redis_reachable() -> bool:
    where = urlsplit(REDIS_URL)
    try:
        socket.create_connection((where.hostname, where.port or 6379), timeout=1).close()
    except OSError:
        return False
    return True


def test_two_workers_send_each_reminder_once(twilio_fake: FakeTwilio, tmp_path: Path) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("several workers on several machines share PostgreSQL (SQLite is one machine)")
    if not _redis_reachable():
        message = f"Redis is not reachable at {REDIS_URL}: the workers' queue"
        if os.environ.get("AESCRM_REQUIRE_REDIS"):  # CI starts Redis: missing it is a failure
            pytest.fail(message)
        pytest.skip(message)
    worlds = [world_with_reminders(n, PER_CLINIC) for n in range(CLINICS)]
    for world in worlds:
        make_due_now(world)
    twilio_fake.latency = 0.01  # a little of real Twilio's wait, so the workers overlap

    name = f"aescrm-test-{uuid.uuid4().hex[:12]}"  # this run's own queues
    queue = RedisHuey(name, url=REDIS_URL)
    queue._registry.register(run_clinic_automations.task_class)
    workers = [
        Worker(twilio_fake, tmp_path / f"worker-{n}.log", redis_url=REDIS_URL, huey_name=name)
        for n in range(2)
    ]
    try:
        for worker in workers:
            worker.start_huey(threads=2)
        wait_until(
            lambda: all(w.said(STARTED) for w in workers), timeout=20, what="both workers start"
        )
        for world in worlds:
            queue.enqueue(run_clinic_automations.s(str(world.clinic.pk)))
        wait_until(
            reminders_done(worlds, CLINICS * PER_CLINIC),
            timeout=40,
            what="every reminder is sent",
        )
    finally:
        for worker in workers:
            worker.ensure_dead()
        queue.storage.flush_all()

    assert_each_reminded_exactly_once(worlds, twilio_fake, PER_CLINIC)
    tasks = [w.said(EXECUTED) for w in workers]
    assert all(tasks), f"tasks executed per worker: {tasks}; see {tmp_path}"
