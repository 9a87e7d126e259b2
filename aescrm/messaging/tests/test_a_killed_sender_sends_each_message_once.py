"""A sender killed at any point — before, during or after Twilio's call — loses no message
and sends none twice (docs/decisions/0013).

Each test runs `aescrm send_messages` as a real process on the test database
(SQLite and PostgreSQL), against the fake Twilio over HTTP, and SIGKILLs it at
a moment the fake makes certain: the fake keeps one request waiting, reports
that it has arrived, and the test kills the sender then. A fresh sender started
after the kill must finish the work: every message sent, each exactly once in
Twilio's record, each row holding the sid Twilio gave that message.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from aescrm.messaging.models import Status
from aescrm.messaging.tests.senders import (
    Sender,
    all_sent,
    assert_each_sent_exactly_once,
    connect_all_day,
    queue,
    rows,
    wait_until,
)
from aescrm.testing.fakes.twilio import FakeTwilio
from aescrm.testing.fixtures import ClinicWorld

pytestmark = pytest.mark.usefixtures("transactional_db", "allow_audit_flush")


def five(prefix: str = "Reminder") -> list[tuple[str, str]]:
    return [(f"07700 900{200 + i}", f"{prefix} {i}: see you at 10:00") for i in range(5)]


def states(world: ClinicWorld, messages: list[Any]) -> list[tuple[str, bool, bool]]:
    """(status, claimed, has a Twilio sid) per message, in queue order."""
    stored = {m.pk: m for m in rows(world, messages)}
    return [
        (
            stored[m.pk].status,
            stored[m.pk].claimed_until is not None,
            bool(stored[m.pk].provider_id),
        )
        for m in messages
    ]


def finish(world: ClinicWorld, fake: FakeTwilio, messages: list[Any], log: Path) -> Sender:
    """A fresh sender, started at once: it waits out the dead one's lease, then sends."""
    sender = Sender(fake, log).start(loop=True)
    try:
        wait_until(all_sent(world, messages), timeout=40, what="every message is sent")
    finally:
        sender.stop()
    return sender


@pytest.mark.parametrize(
    ("stage", "twilio_goes_on", "queue_seconds"),
    [
        # During the call: the request reached Twilio, which never took it.
        ("received", False, 0.0),
        # During the call: Twilio takes the message after the sender died.
        ("received", True, 0.0),
        # After the call: Twilio took it and answered; the sender never recorded it.
        # The text still waits in Twilio's sender queue, with no date_sent yet.
        ("taken", True, None),
    ],
    ids=["during-call-not-taken", "during-call-taken-late", "after-call-unrecorded"],
)
def test_killed_around_the_call(
    clinic_a: ClinicWorld,
    twilio_fake: FakeTwilio,
    tmp_path: Path,
    stage: str,
    twilio_goes_on: bool,
    queue_seconds: float | None,
) -> None:
    connect_all_day(clinic_a)
    messages = queue(clinic_a, five())
    twilio_fake.queue_seconds = queue_seconds
    held = twilio_fake.hold("POST", nth=2, stage=stage)
    first = Sender(twilio_fake, tmp_path / "first.log").start()
    try:
        held.wait()
        first.kill()
    finally:
        first.ensure_dead()
    held.release(go_on=twilio_goes_on)

    # Where the kill landed: the first message sent and recorded; the second in
    # the call; the other three claimed, not yet begun (after claim, before the call).
    assert states(clinic_a, messages) == [
        (Status.SENT, False, True),
        (Status.SENDING, True, False),
        *[(Status.QUEUED, True, False)] * 3,
    ]
    expected = 2 if stage == "taken" or twilio_goes_on else 1
    wait_until(lambda: len(twilio_fake.taken()) == expected, timeout=5, what="Twilio is done")

    finish(clinic_a, twilio_fake, messages, tmp_path / "second.log")
    assert_each_sent_exactly_once(clinic_a, twilio_fake, messages)


def test_killed_while_asking_twilio_about_an_earlier_attempt(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio, tmp_path: Path
) -> None:
    """Twilio took the first text and hung up; the sender, back for a retry, asks Twilio
    whether it went — and is killed before the answer (after claim, before any send)."""
    connect_all_day(clinic_a)
    messages = queue(clinic_a, five("Your results"))
    twilio_fake.drop_after_taking = 1
    asked = twilio_fake.hold("GET", nth=1, stage="received")
    first = Sender(twilio_fake, tmp_path / "first.log").start(loop=True)
    try:
        asked.wait()
        first.kill()
    finally:
        first.ensure_dead()
    asked.release()

    first_message = rows(clinic_a, messages[:1])[0]
    assert (first_message.status, first_message.attempts) == (Status.SENDING, 1)
    assert "could not be reached" in first_message.error_reason
    assert len(twilio_fake.taken()) == 5

    finish(clinic_a, twilio_fake, messages, tmp_path / "second.log")
    assert_each_sent_exactly_once(clinic_a, twilio_fake, messages)
    assert rows(clinic_a, messages[:1])[0].attempts == 1  # found at Twilio, not sent again


def test_soak_killed_at_random_moments(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio, tmp_path: Path
) -> None:
    """50 messages (ten patients get the same text twice), Twilio slow and dropping answers;
    three senders killed at random moments mid-run, then one left to finish."""
    seed = random.randrange(1_000_000)
    rng = random.Random(seed)
    connect_all_day(clinic_a)
    texts = [(f"07700 900{300 + i}", f"Hello {i}, your check-up is due") for i in range(40)]
    messages = queue(clinic_a, texts + texts[:10])
    twilio_fake.latency = 0.02
    twilio_fake.queue_seconds = None
    twilio_fake.drop_after_taking = 2
    done = all_sent(clinic_a, messages)

    def reached(seen: int) -> bool:
        return len(twilio_fake.requests) > seen or done()

    kills = 0
    for round_ in range(3):
        seen = len(twilio_fake.requests)
        sender = Sender(twilio_fake, tmp_path / f"killed-{round_}.log", lease=3, http_timeout=1)
        sender.start(loop=True)
        try:
            wait_until(partial(reached, seen), timeout=30, what="the sender reaches Twilio")
            time.sleep(rng.uniform(0.0, 0.6))
            if sender.alive():
                sender.kill()
                kills += 1
        finally:
            sender.ensure_dead()

    finish(clinic_a, twilio_fake, messages, tmp_path / "last.log")
    assert kills == 3, f"seed {seed}"
    assert_each_sent_exactly_once(clinic_a, twilio_fake, messages)
    repeated = Counter(m["body"] for m in twilio_fake.taken())
    assert sorted(repeated.values()) == [1] * 30 + [2] * 10, f"seed {seed}"


def test_two_senders_when_a_batch_outlasts_the_lease(
    clinic_a: ClinicWorld, twilio_fake: FakeTwilio, tmp_path: Path
) -> None:
    """Twilio answers slowly, so one sender's batch takes longer than its lease: the other
    sender takes over what is left, and the first must not send those too."""
    connect_all_day(clinic_a)
    messages = queue(clinic_a, [(f"07700 900{400 + i}", f"Offer {i}") for i in range(8)])
    twilio_fake.latency = 0.6
    senders = [
        Sender(twilio_fake, tmp_path / f"sender-{n}.log", lease=3, http_timeout=1) for n in range(2)
    ]
    try:
        for sender in senders:
            sender.start(loop=True)
        wait_until(all_sent(clinic_a, messages), timeout=40, what="every message is sent")
    finally:
        for sender in senders:
            sender.stop()
    assert_each_sent_exactly_once(clinic_a, twilio_fake, messages)
