"""`aescrm send_messages`: send every clinic's due messages, once or in a loop.

What the worker's periodic task does (``messaging.tasks.send_due_messages``),
as a process of its own: for a deployment that runs senders apart from Huey,
for draining a backlog by hand, and for the tests that kill a real sender
mid-send. Any number may run at once: claims and leases keep them apart
(docs/decisions/0013).
"""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from aescrm.audit.context import Actor, acting_as
from aescrm.messaging import worker

ACTOR = Actor(type="system", label="aescrm send_messages")


class Command(BaseCommand):
    help = (
        "Send the messages that are due: --once (the default) until none is due, "
        "then exit; --loop every --interval seconds until stopped (SIGTERM or Ctrl+C "
        "stop it after the sweep in hand; a sender killed outright loses nothing either)."
    )

    def add_arguments(self, parser: Any) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--once", action="store_true", help="send what is due, then exit")
        mode.add_argument("--loop", action="store_true", help="keep sending until stopped")
        parser.add_argument(
            "--interval",
            type=float,
            default=5.0,
            help="seconds between sweeps with --loop (default 5)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        interval = options["interval"]
        if not 0.05 <= interval <= 3600:
            raise CommandError("--interval must be between 0.05 and 3600 seconds")
        stopping: list[int] = []

        def stop(signum: int, frame: Any) -> None:
            stopping.append(signum)

        if options["loop"]:
            signal.signal(signal.SIGTERM, stop)
            signal.signal(signal.SIGINT, stop)
        total = 0
        with acting_as(ACTOR):
            while True:
                # Sweep until a sweep finds nothing due (a sweep takes at most
                # worker.MAX_BATCHES batches per clinic).
                while not stopping and (sent := worker.process_all()):
                    total += sent
                if not options["loop"] or stopping:
                    break
                deadline = time.monotonic() + interval
                while not stopping and time.monotonic() < deadline:
                    time.sleep(min(0.05, interval))
        # Handled: sent, failed for good, or put back for a retry.
        self.stdout.write(f"handled {total} due messages")
