"""`aescrm run_automations`: take every clinic's due automation steps, then send the due messages.

What the worker's two periodic tasks do (``automation.tasks.run_due_automations``
then ``messaging.tasks.send_due_messages``), as a process of its own: for
draining a backlog by hand, for a deployment that runs workers apart from
Huey, for the benchmark, and for the tests that kill a real worker mid-run.
Any number may run at once: runs and messages are claimed with leases
(``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL), so none is taken twice.
"""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from aescrm.audit.context import Actor, acting_as
from aescrm.automation import engine
from aescrm.messaging import worker

ACTOR = Actor(type="system", label="aescrm run_automations")


class Command(BaseCommand):
    help = (
        "Take the automation steps that are due and send the messages they queued: --once "
        "(the default) until nothing is due, then exit; --loop every --interval seconds until "
        "stopped (SIGTERM or Ctrl+C stop it after the sweep in hand; a worker killed outright "
        "loses nothing either)."
    )

    def add_arguments(self, parser: Any) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--once", action="store_true", help="do what is due, then exit")
        mode.add_argument("--loop", action="store_true", help="keep going until stopped")
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
        steps = sent = 0
        with acting_as(ACTOR):
            while True:
                # Steps first, so the messages they queue go out in the same sweep;
                # again until a sweep finds nothing due (each takes at most
                # MAX_BATCHES batches per clinic).
                while not stopping:
                    sweep = engine.Sweep()
                    took = engine.process_all(sweep=sweep)
                    handled = sweep.sent + (worker.process_all() if not stopping else 0)
                    steps, sent = steps + took, sent + handled
                    if not (took or handled):
                        break
                if not options["loop"] or stopping:
                    break
                deadline = time.monotonic() + interval
                while not stopping and time.monotonic() < deadline:
                    time.sleep(min(0.05, interval))
        self.stdout.write(f"took {steps} due automation runs, handled {sent} due messages")
