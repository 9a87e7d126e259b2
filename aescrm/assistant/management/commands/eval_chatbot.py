"""`aescrm eval_chatbot [FILE]`: score the website assistant against the evaluation suite."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from aescrm.assistant.evaluation.runner import LONDON, Report, default_now, run_suite
from aescrm.assistant.evaluation.suite import DEFAULT_PATH, SuiteError, load_suite


def _parse_now(value: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(
            f"--now {value!r} is not a date and time like 2026-01-12T09:00", returncode=2
        ) from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LONDON)
    return moment.astimezone(dt.UTC)


def _require_migrated() -> None:
    """The run builds a clinic in the database: on one that has not been migrated (a fresh
    checkout, a new DATABASE_URL) say so, rather than fail halfway with "no such table"."""
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        raise CommandError(
            f"the database is not migrated ({len(pending)} migrations not applied): "
            "run `aescrm migrate` first",
            returncode=2,
        )


class Command(BaseCommand):
    help = (
        "Run the website assistant's evaluation suite (a folder of YAML files or one file) "
        "through the real chat pipeline in a transaction that is rolled back, and report pass "
        "rates per category. Exits 1 when a target is missed, 2 for a malformed suite."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "file",
            nargs="?",
            default=str(DEFAULT_PATH),
            help="suite folder or YAML file (default: the shipped suite)",
        )
        parser.add_argument(
            "--now",
            help="the moment the conversations happen, ISO 8601, Europe/London if no offset "
            "(default: next Monday 09:00)",
        )
        parser.add_argument("--only", metavar="ID_PREFIX", help="run the cases whose id starts so")
        parser.add_argument("--json", action="store_true", help="machine-readable output")
        parser.add_argument(
            "--transcripts", action="store_true", help="print the conversation of each failure"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            suite = load_suite(options["file"])
        except SuiteError as exc:
            raise CommandError(f"malformed suite: {exc}", returncode=2) from exc
        now = _parse_now(options["now"]) if options["now"] else default_now()
        only = options["only"]
        if only and not any(c.id.startswith(only) for c in suite.cases):
            raise CommandError(f"--only {only!r}: no case id starts so", returncode=2)
        _require_migrated()
        report = run_suite(suite, now=now, only=only)
        if options["json"]:
            self.stdout.write(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        else:
            self._print(report, transcripts=options["transcripts"])
        missed = [t for t in report.targets() if not t.met]
        if missed:
            raise CommandError(
                "targets missed: " + "; ".join(f"{t.name} ({t.detail})" for t in missed),
                returncode=1,
            )

    def _print(self, report: Report, *, transcripts: bool) -> None:
        out = self.stdout
        local = report.now.astimezone(LONDON)
        turns = sum(len(r.turns) for r in report.results)
        out.write(
            f"{len(report.results)} cases, {turns} turns, at {local:%a %d %b %Y %H:%M} "
            f"Europe/London; engine {report.engine or 'unknown'}\n"
        )
        out.write(f"{'category':<14}{'passed':>7}{'total':>7}{'rate':>8}")
        for name, (passed, total) in report.categories().items():
            out.write(f"{name:<14}{passed:>7}{total:>7}{passed / total:>8.1%}")
        passed = sum(r.passed for r in report.results)
        total = len(report.results)
        out.write(f"{'total':<14}{passed:>7}{total:>7}{passed / max(total, 1):>8.1%}\n")
        out.write(f"{'intent (turns)':<18}{'right':>6}{'total':>7}{'rate':>8}")
        for name, (right, count) in report.intents().items():
            out.write(f"{name:<18}{right:>6}{count:>7}{right / count:>8.1%}")
        out.write("")
        for target in report.targets():
            out.write(f"{'met   ' if target.met else 'MISSED'} {target.name}: {target.detail}")
        failed = [r for r in report.results if not r.passed]
        if failed:
            out.write("")
        for result in failed:
            for failure in result.failures:
                out.write(f"FAILED {result.case.id} {failure}")
            if transcripts:
                for turn in result.turns:
                    out.write(f"    visitor: {turn.say}")
                    fired = f" fired={','.join(turn.fired)}" if turn.fired else ""
                    out.write(f"    [{turn.intent or '-'}{fired}] {' '.join(turn.reply.split())}")
