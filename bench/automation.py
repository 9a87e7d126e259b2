"""The automation worker benchmark for `make bench`: a minute's reminders across many clinics.

N clinics (default 50) with the built-in recipes, each with M booked
appointments (default 200) whose 48-hour reminders all fall due in the same
minute: 10,000 reminder runs. Real worker processes (`aescrm run_huey`, Huey's
consumer with the CRM's tasks; RedisHuey when REDIS_URL is set, else SqliteHuey)
drain them to the fake Twilio (a Python HTTP server on 127.0.0.1 in this
process): one wake-up task per clinic is queued (as a booking's on-commit
wake-up is; the workers run no periodic tasks, so the other apps' sweeps are not
timed); each worker takes steps (claims with a lease, SKIP LOCKED on PostgreSQL), and
each step's text wakes a send task on the same queue. Timed from the wake-ups
to Twilio taking the last text, with one worker process and then, on fresh
data, with two; then checked: every patient reminded exactly once (duplicates
and missing counted from Twilio's own record, and every run and text row done).

The baseline, in the same run on the same machine: the queue's own rate, K
no-op tasks (default 10,000) queued to the same storage and drained by the same
number of `huey_consumer` processes with the same threads (bench/huey_noop.py,
no Django, no database).

The data are written in bulk (patients through ``bulk_create``, so names and
phones are encrypted as ``patient_create`` writes them; runs as
``schedule_appointment_times`` writes them, with the run's due time set to the
benchmark's minute). Sending limits are off (``MESSAGING_SEGMENTS_PER_MINUTE=0``),
as in the sender benchmark: the workers' speed is measured, not a number's pacing.

Usage: python -m bench.automation --clinics 50 --per-clinic 200 --workers "1 2" \\
           --threads 1 --noop 10000 --out A.json --markdown A.md
DATABASE_URL (migrated), AESCRM_MASTER_KEY, SECRET_KEY and, for RedisHuey,
REDIS_URL come from the environment, as for the other benchmarks.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from aescrm.testing.fakes.twilio import ACCOUNT_SID, AUTH_TOKEN

ROOT = Path(__file__).resolve().parent.parent
STARTED = "Huey consumer started"
# Huey's polling of a non-blocking storage (SQLite): first delay, and at most
# this long asleep when the queue is empty (the default, 10 s, would be timed).
POLL = ["--delay", "0.05", "--max-delay", "0.5"]
# No text for this long (over two periodic sweeps) and the drain is given up.
STALL_SECONDS = 150


def _setup(huey_name: str) -> None:
    os.environ["HUEY_NAME"] = huey_name
    os.environ.pop("AESCRM_TESTING", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aescrm.settings")
    import django

    django.setup()


# --- data ----------------------------------------------------------------------------------


def make_clinic(tag: str, n: int, number: str, mobiles: list[int], due: dt.datetime) -> Any:
    """Clinic ``n`` with the recipes, its Twilio ``number``, and a patient for each of
    ``mobiles`` with a reminder due at ``due``; returns (clinic id, the patients' phones)."""
    from django.db import transaction

    from aescrm.accounts.caller import Caller
    from aescrm.accounts.services import clinic_create
    from aescrm.automation import engine, timing
    from aescrm.automation.models import Rule, Run, RunStatus
    from aescrm.automation.recipes import REMINDER_48
    from aescrm.core.tenancy import clinic_scope
    from aescrm.messaging import services
    from aescrm.patients.models import Appointment, Patient, Practitioner, Treatment
    from aescrm.patients.normalise import clean_phone

    clinic = clinic_create(name=f"Automation bench {tag} {n:02d}", slug=f"auto-{tag}-{n:02d}")
    with clinic_scope(clinic.pk), transaction.atomic():
        services.settings_set(
            caller=Caller(clinic_id=clinic.pk, role="owner"),
            account_sid=ACCOUNT_SID,
            auth_token=AUTH_TOKEN,
            sending_number=number,
            quiet_start=dt.time(12),
            quiet_end=dt.time(12),  # no quiet hours: the benchmark runs at any hour
        )
        treatment = Treatment.objects.create(
            name="Hygienist appointment", category="Dental", duration_minutes=30, price_pence=7500
        )
        practitioner = Practitioner.objects.create(display_name="Dr Bench", profession="Dentist")
        patients = Patient.objects.bulk_create(
            [
                Patient(
                    clinic_id=clinic.pk,
                    first_name=f"Patient{i}",
                    last_name="Bench",
                    phone=clean_phone(f"07{mobile:09d}"),
                )
                for i, mobile in enumerate(mobiles)
            ]
        )
        first = due + dt.timedelta(days=2)
        appointments = Appointment.objects.bulk_create(
            [
                Appointment(
                    clinic_id=clinic.pk,
                    patient=patient,
                    treatment=treatment,
                    practitioner=practitioner,
                    starts_at=first + dt.timedelta(minutes=30 * i),
                    ends_at=first + dt.timedelta(minutes=30 * i + 30),
                    value_pence=7500,
                )
                for i, patient in enumerate(patients)
            ]
        )
        rule = Rule.objects.select_related("current_version").get(recipe=REMINDER_48)
        Run.objects.bulk_create(
            [
                Run(
                    clinic_id=clinic.pk,
                    rule=rule,
                    version=rule.current_version,
                    patient=appointment.patient,
                    event_key=engine.appointment_time_key(appointment, appointment.starts_at),
                    appointment=appointment,
                    anchor=appointment.starts_at,
                    status=RunStatus.SCHEDULED,
                    due_at=due,
                    latest_at=timing.latest_for(appointment.starts_at, -48 * 60, due),
                )
                for appointment in appointments
            ],
            batch_size=1000,
        )
    return clinic.pk, [str(p.phone) for p in patients]


def make_data(
    tag: str, clinics: int, per_clinic: int, seed: int, numbers_from: int = 450_000_000
) -> dict[str, Any]:
    """``clinics`` x ``per_clinic`` reminders due this minute; every phone number distinct
    (Twilio's record is checked by number), each clinic with a sending number of its own."""
    rng = random.Random(seed)
    mobiles = rng.sample(range(600_000_000, 900_000_000), clinics * per_clinic)
    due = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    started = time.monotonic()
    made = [
        make_clinic(
            tag,
            n,
            f"+447{numbers_from + n:09d}",
            mobiles[n * per_clinic : (n + 1) * per_clinic],
            due,
        )
        for n in range(clinics)
    ]
    _analyse()
    return {
        "clinic_ids": [cid for cid, _ in made],
        "phones": [phone for _, phones in made for phone in phones],
        "generate_seconds": round(time.monotonic() - started, 1),
    }


def _analyse() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("automation_run", "patients_patient", "patients_appointment"):
                cursor.execute(f"ANALYZE {table}")
    else:
        from aescrm.core.maintenance import refresh_planner_statistics

        refresh_planner_statistics()


# --- processes -------------------------------------------------------------------------------


class Consumers:
    """``count`` consumer processes (same command), each logging to its own file."""

    def __init__(self, command: list[str], count: int, env: dict[str, str], logs: Path) -> None:
        self.logs = [logs / f"consumer-{n}.log" for n in range(count)]
        self.procs: list[subprocess.Popen[bytes]] = []
        for log in self.logs:
            with log.open("wb") as out:
                self.procs.append(
                    subprocess.Popen(
                        command, cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True
                    )
                )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not all(STARTED in log.read_text(errors="replace") for log in self.logs):
            if any(p.poll() is not None for p in self.procs) or time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"bench: a worker did not start; see {self.logs}")
            time.sleep(0.05)

    def stop(self) -> None:
        """SIGINT (Huey's graceful stop: finish the task in hand), then SIGKILL if need be."""
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _worker_env(fake_base: str) -> dict[str, str]:
    env = dict(
        os.environ,
        MESSAGING_MODE="live",
        TWILIO_API_BASE=fake_base,
        PUBLIC_BASE_URL="http://127.0.0.1:8000",
        LOG_LEVEL="WARNING",
        MESSAGING_SEGMENTS_PER_MINUTE="0",
        MESSAGING_MAX_PER_RECIPIENT_PER_HOUR="0",
    )
    env.pop("AESCRM_TESTING", None)
    return env


# --- the drain -------------------------------------------------------------------------------


def _timed_twilio() -> Any:
    import itertools

    from aescrm.testing.fakes import twilio as fake_twilio
    from aescrm.testing.fakes.base import Recorded
    from aescrm.testing.fakes.twilio import FakeTwilio

    # The fake numbers its sids from 1 in each process; the sender benchmark's texts, in
    # the same database, hold those already (and a sid is unique, as Twilio's are).
    fake_twilio._SIDS = itertools.count(random.SystemRandom().getrandbits(100) << 20)

    class TimedTwilio(FakeTwilio):
        def __init__(self) -> None:
            super().__init__()
            self.last_post = 0.0
            self.times_lock = threading.Lock()

        def handle(self, request: Recorded) -> Any:
            answer = super().handle(request)
            if request.method == "POST":
                with self.times_lock:
                    self.last_post = time.monotonic()
            return answer

    return TimedTwilio()


def drain(
    data: dict[str, Any], processes: int, threads: int, workdir: Path, timeout: float
) -> dict[str, Any]:
    """Start ``processes`` workers, wake every clinic, time until Twilio took every text."""
    from huey.contrib.djhuey import HUEY

    from aescrm.automation.tasks import run_clinic_automations

    total = len(data["phones"])
    fake = _timed_twilio()
    fake.start()
    workdir.mkdir(parents=True, exist_ok=True)
    # No periodic tasks (the other apps' sweeps would be timed too): the wake-ups do it all.
    command = [
        sys.executable,
        "-m",
        "aescrm.cli",
        "run_huey",
        "--workers",
        str(threads),
        "--no-periodic",
        *POLL,
    ]
    workers = Consumers(command, processes, _worker_env(fake.api_base), workdir)
    try:
        workers.wait_ready()
        started = time.monotonic()
        for clinic_id in data["clinic_ids"]:
            run_clinic_automations(str(clinic_id))  # queued, not run here (immediate is off)
        seen, moved = 0, time.monotonic()
        while (taken := len(fake.messages)) < total:
            now = time.monotonic()
            if taken != seen:
                seen, moved = taken, now
            if now - moved > STALL_SECONDS or now - started > timeout:
                print(f"bench: gave up with {taken:,} of {total:,} texts sent", file=sys.stderr)
                break
            time.sleep(0.1)
        time.sleep(1.0)  # anything sent twice would arrive now, not after the count
        seconds = (fake.last_post or time.monotonic()) - started
    finally:
        workers.stop()
        fake.stop()
        HUEY.flush()  # the send tasks that found nothing left, and any periodic ones
    counted = _check(data, fake.taken())
    return {
        "processes": processes,
        "threads": threads,
        "reminders": total,
        "drain_seconds": round(seconds, 2),
        "per_second": round(total / seconds, 1) if seconds else 0.0,
        **counted,
    }


def _check(data: dict[str, Any], taken: list[dict[str, Any]]) -> dict[str, Any]:
    """Duplicates and missing by Twilio's record; and every run and text row finished."""
    from aescrm.automation.models import Run, RunStatus
    from aescrm.core.tenancy import unscoped
    from aescrm.messaging.models import Message, Status

    per_number = Counter(m["to"] for m in taken)
    wanted = set(data["phones"])
    with unscoped("benchmark: check every clinic's runs and texts"):
        runs = Counter(
            Run.objects.filter(clinic_id__in=data["clinic_ids"]).values_list("status", flat=True)
        )
        texts = Counter(
            Message.objects.filter(clinic_id__in=data["clinic_ids"]).values_list(
                "status", flat=True
            )
        )
    return {
        "taken_by_twilio": len(taken),
        "duplicates": sum(times - 1 for times in per_number.values() if times > 1),
        "missing": len(wanted - set(per_number)),
        "strangers": len(set(per_number) - wanted),
        "runs": dict(runs),
        "texts": dict(texts),
        "rows_all_done": set(runs) == {RunStatus.DONE}
        and set(texts) == {Status.SENT}
        and sum(texts.values()) == len(wanted),
    }


def noop_baseline(
    count: int, processes: int, threads: int, workdir: Path, timeout: float
) -> dict[str, Any]:
    """``count`` no-op tasks queued to the same storage, drained by the same consumers."""
    from bench import huey_noop  # its queue: HUEY_NAME + "-noop", as for its consumers

    queue = huey_noop.huey
    queue.flush()
    workdir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    command = [
        sys.executable,
        "-m",
        "huey.bin.huey_consumer",
        "bench.huey_noop.huey",
        "--workers",
        str(threads),
        *POLL,
    ]
    consumers = Consumers(command, processes, env, workdir)
    try:
        consumers.wait_ready()
        started = time.monotonic()
        for _ in range(count):
            huey_noop.noop()
        while queue.result_count() < count and time.monotonic() - started < timeout:
            time.sleep(0.02)
        seconds = time.monotonic() - started
        done = queue.result_count()
    finally:
        consumers.stop()
        queue.flush()
    return {
        "processes": processes,
        "threads": threads,
        "tasks": count,
        "done": done,
        "seconds": round(seconds, 2),
        "per_second": round(done / seconds, 1) if seconds else 0.0,
    }


# --- report ----------------------------------------------------------------------------------


def markdown(result: dict[str, Any]) -> str:
    engine = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(
        result["engine"], result["engine"]
    )
    queue = "RedisHuey (Redis)" if result["queue"] == "redis" else "SqliteHuey"
    clinics, per = result["clinics"], result["per_clinic"]
    lines = [
        f"## Automation worker on {engine}",
        "",
        f"{clinics * per:,} reminders falling due in the same minute across {clinics} clinics "
        f"({per} appointments each, the 48-hour reminder recipe), drained to the fake Twilio "
        f"by real `aescrm run_huey` worker processes ({result['threads']} thread each) on "
        f"{queue}: one wake-up task per clinic queued, as a booking's on-commit wake-up is (no "
        "periodic tasks in these workers, so no other app's sweep is timed); the task takes "
        "the clinic's due steps a batch at a time and sends the texts each batch queued "
        "before the next. Time to drain: from the "
        "wake-ups to Twilio taking the last text. Fresh data for each row. Baseline: the "
        f"queue's own no-op task rate, {result['noop_tasks']:,} tasks on the same storage "
        "drained by the same number of `huey_consumer` processes and threads, in the same run.",
        "",
        "| workers | reminders | time to drain s | reminders/s | duplicates | missing "
        "| rows all done | no-op tasks/s | reminders per no-op task |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |",
    ]
    for run in result["runs"]:
        base = run["baseline"]["per_second"]
        ok = "yes" if run["rows_all_done"] else "**no**"
        lines.append(
            f"| {run['processes']} | {run['reminders']:,} | {run['drain_seconds']} "
            f"| {run['per_second']:.0f} | {run['duplicates']} | {run['missing']} | {ok} "
            f"| {base:.0f} | {run['per_second'] / base if base else 0:.3f} |"
        )
    lines += [
        "",
        "Per reminder a worker claims the run (in batches of 50), re-reads the appointment "
        "and the patient for the stop checks, renders the template, queues the text (policy "
        "check, encrypted row, audit) and writes the run log, in one transaction with the "
        "step pointer; then, after the batch, it claims the texts (batches of 100), re-checks the "
        "policy, marks the attempt, calls Twilio and records the sid with its audit entry. "
        "Sending limits are off for this run (`MESSAGING_SEGMENTS_PER_MINUTE=0`). The data "
        f"took {result['generate_seconds']} s to write (bulk; not timed).",
    ]
    return "\n".join(lines) + "\n"


# --- command line ----------------------------------------------------------------------------


def _reachable(url: str) -> bool:
    import socket
    from urllib.parse import urlsplit

    where = urlsplit(url)
    try:
        socket.create_connection((where.hostname, where.port or 6379), timeout=2).close()
    except OSError:
        return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--clinics", type=int, default=50)
    parser.add_argument("--per-clinic", type=int, default=200)
    parser.add_argument("--workers", default="1 2", help="worker process counts, in turn")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker process")
    parser.add_argument("--noop", type=int, default=10_000, help="no-op tasks for the baseline")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per drain, at most")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--markdown", type=Path, required=True)
    args = parser.parse_args()
    counts = [int(w) for w in args.workers.split()]
    if not (
        1 <= args.clinics <= 500 and len(counts) <= 10 and 1 <= args.per_clinic <= 2000 and counts
    ):
        sys.exit("--clinics 1..500, --per-clinic 1..2000 and at least one worker count")
    if not (all(1 <= c <= 16 for c in counts) and 1 <= args.threads <= 16 and args.noop >= 1):
        sys.exit("--workers and --threads 1..16, --noop at least 1")

    redis_url = os.environ.get("REDIS_URL", "")
    if redis_url and not _reachable(redis_url):
        print(f"bench: Redis is not reachable at {redis_url}: SqliteHuey instead", file=sys.stderr)
        os.environ.pop("REDIS_URL")
    run_id = uuid.uuid4().hex[:8]
    _setup(f"aescrm-bench-{run_id}")
    from django.db import connection

    workdir = args.out.parent / f"automation-{connection.vendor}"
    result: dict[str, Any] = {
        "engine": connection.vendor,
        "queue": "redis" if os.environ.get("REDIS_URL") else "sqlite",
        "clinics": args.clinics,
        "per_clinic": args.per_clinic,
        "threads": args.threads,
        "noop_tasks": args.noop,
        "runs": [],
    }
    generated = 0.0
    # Sending numbers: a block of 1,000 per data set, from a block of 10,000 of this run's own.
    numbers = 450_000_000 + random.SystemRandom().randrange(10_000) * 10_000
    for i, processes in enumerate(counts):
        tag = f"{run_id}-{processes}w"
        print(f"  writing {args.clinics * args.per_clinic:,} due reminders", file=sys.stderr)
        data = make_data(
            tag, args.clinics, args.per_clinic, seed=processes, numbers_from=numbers + 1000 * i
        )
        generated += data["generate_seconds"]
        run = drain(data, processes, args.threads, workdir / f"{processes}w", args.timeout)
        run["baseline"] = noop_baseline(
            args.noop, processes, args.threads, workdir / f"{processes}w-noop", args.timeout
        )
        result["runs"].append(run)
        print(
            f"  {processes} worker(s): {run['reminders']:,} reminders in {run['drain_seconds']} s "
            f"({run['per_second']:.0f}/s), duplicates {run['duplicates']}, missing "
            f"{run['missing']}; no-op tasks {run['baseline']['per_second']:.0f}/s",
            file=sys.stderr,
        )
    result["generate_seconds"] = round(generated, 1)
    args.out.write_text(json.dumps(result, indent=1))
    args.markdown.write_text(markdown(result))
    ok = all(
        r["duplicates"] == 0 and r["missing"] == 0 and r["rows_all_done"] for r in result["runs"]
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
