"""The website assistant benchmark for `make bench`: turn latency and the chat endpoint's rate.

One clinic with a knowledge base of N items (default 500: ~60 priced
treatments imported from the catalogue, hours, location, finance, policies and
FAQs; bench/assistant_data.py) and a fixed set of 300 visitor messages across
intents (prices, some misspelt; hours; parking; finance; booking starts; asking
for a person; small talk; medical questions, emergencies and prompt injection
that the guardrails stop).

In-process, one thread, the messages in turn (T turns, default 600, after 20
untimed ones to warm the caches):

- *pipeline*: ``chat_turn`` as the endpoint calls it — session, inbound
  guardrails, the embedded engine, outbound guardrails, both turns stored
  (encrypted) and audited. Visits of three messages share a session; an
  emergency ends its visit (the session then stays with the team).
- *engine*: ``EmbeddedEngine.reply`` alone with a fresh ``DbTools`` per turn (as
  the pipeline makes one), so the clinic's knowledge is read from the database
  each turn; fresh state, no history, nothing written (dry run).
- *engine, knowledge loaded*: the same with the knowledge read once: the
  language work alone.
- Baseline, same run: the ``GET /public/v1/{key}/assistant`` view called
  in-process (key lookup, Origin check, the settings row, JSON): what every
  public call does before any assistant work. Ratios are turns/s over its calls/s.

Over HTTP (``--seconds`` > 0): the real server (gunicorn as bench/run.py starts
it, chat rate limits raised so none answers 429) and wrk, each scenario a
warm-up then a measured period: the bare ``GET /public/v1/{key}/assistant``,
``POST /public/v1/{key}/chat`` opening a new session with every message, and
the same continuing 64 open sessions (emergencies left out, as they hand the
session to the team). Every request carries the clinic website's Origin.

Usage: python -m bench.assistant run --items 500 --turns 600 --seconds 12 \\
           --out A.json --markdown A.md
       python -m bench.assistant splice --doc docs/benchmarks.md A.md [B.md ...]
DATABASE_URL (migrated), AESCRM_MASTER_KEY and SECRET_KEY come from the environment.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import sys
import time
import urllib.error
import urllib.request
import uuid
import zoneinfo
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.assistant_data import (
    TREATMENTS,
    Message,
    knowledge_items,
    treatment_count,
    visitor_messages,
)

MESSAGE_SET = 300
WARM_TURNS = 20
VISIT = 3  # messages per session in the in-process pipeline
OPEN_SESSIONS = 64  # sessions the "continuing" HTTP scenario rotates through
DOMAIN = "clinic.example"
ORIGIN = f"https://{DOMAIN}"
LONDON = zoneinfo.ZoneInfo("Europe/London")
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


# --- the clinic --------------------------------------------------------------------------------


def make_clinic(items: int, seed: int = 2026) -> dict[str, Any]:
    """A clinic whose assistant knows ``items`` things; returns its ids and what was made."""
    from django.db import transaction

    from aescrm.accounts.caller import Caller
    from aescrm.accounts.services import clinic_create
    from aescrm.assistant.knowledge import docs_for_clinic, knowledge_import_catalogue
    from aescrm.assistant.models import AssistantSettings, KnowledgeItem
    from aescrm.core.tenancy import clinic_scope
    from aescrm.patients.models import Practitioner, Treatment, WorkingHours

    started = time.monotonic()
    clinic = clinic_create(
        name="Assistant Bench Dental & Aesthetics",
        slug=f"assistant-bench-{uuid.uuid4().hex[:8]}",
        domains=[DOMAIN],
        automations=False,
    )
    with clinic_scope(clinic.pk), transaction.atomic():
        for name, category, minutes, pounds, medicine in TREATMENTS[: treatment_count(items)]:
            Treatment.objects.create(
                name=name,
                category=category,
                duration_minutes=minutes,
                price_pence=pounds * 100,
                prescription_medicine=medicine,
            )
        # Treatment items as staff get them: "Import from catalogue".
        knowledge_import_catalogue(caller=Caller(clinic_id=clinic.pk, role="owner"))
        KnowledgeItem.objects.bulk_create(
            [
                KnowledgeItem(clinic_id=clinic.pk, kind=k, title=t, answer=a, keywords=w)
                for k, t, a, w in knowledge_items(items, seed)
            ]
        )
        practitioner = Practitioner.objects.create(display_name="Dr Bench", profession="Dentist")
        for weekday in range(6):
            WorkingHours.objects.create(
                practitioner=practitioner,
                weekday=weekday,
                starts=dt.time(9),
                ends=dt.time(17 if weekday < 5 else 13),
            )
        AssistantSettings.objects.update_or_create(
            clinic=clinic, defaults={"urgent_phone": "01483 960000"}
        )
        stored = KnowledgeItem.objects.count()
        docs = len(docs_for_clinic())
    return {
        "clinic_id": str(clinic.pk),
        "public_key": clinic.public_key,
        "knowledge_items": stored,
        "treatments": treatment_count(items),
        "docs": docs,
        "generate_seconds": round(time.monotonic() - started, 2),
    }


# --- in-process ----------------------------------------------------------------------------------


def summary(ms: list[float]) -> dict[str, Any]:
    """p50/p95 (nearest rank), max and mean in ms; per_second as one thread does them."""
    ordered = sorted(ms)
    n = len(ordered)

    def rank(p: float) -> float:
        return ordered[max(0, math.ceil(p * n) - 1)]

    total = sum(ordered)
    return {
        "count": n,
        "p50_ms": round(rank(0.50), 3),
        "p95_ms": round(rank(0.95), 3),
        "max_ms": round(ordered[-1], 3),
        "mean_ms": round(total / n, 3),
        "per_second": round(n / (total / 1000), 1) if total else 0.0,
    }


def _timed(calls: list[Callable[[], Any]], warm: int) -> list[float]:
    for call in calls[:warm]:
        call()
    times = []
    for call in calls[warm:]:
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def _cycle(messages: list[Message], count: int) -> list[Message]:
    return [messages[i % len(messages)] for i in range(count)]


def in_process(data: dict[str, Any], turns: int, seed: int = 2026) -> dict[str, Any]:
    """Time the pipeline, the engine and the baseline for ``data``'s clinic."""
    from django.test import RequestFactory

    from aescrm.accounts.models import Clinic
    from aescrm.assistant import public_views
    from aescrm.assistant.chat import chat_turn, settings_for_clinic
    from aescrm.assistant.engines.base import TurnInput
    from aescrm.assistant.engines.embedded import EmbeddedEngine
    from aescrm.assistant.models import ChatTurn, Speaker
    from aescrm.assistant.tools import DbTools
    from aescrm.core.tenancy import clinic_scope
    from aescrm.public.services import Visitor
    from bench.run import background_cpu_percent

    clinic = Clinic.objects.get(pk=data["clinic_id"])
    background = background_cpu_percent()
    messages = visitor_messages(MESSAGE_SET, data["knowledge_items"], seed)
    warm = min(WARM_TURNS, turns)
    run = _cycle(messages, warm + turns)
    timed = run[warm:]

    # Baseline: the bare public call, as many times as there are turns (at least 200).
    factory = RequestFactory()
    path = f"/public/v1/{clinic.public_key}/assistant"

    def config() -> None:
        request = factory.get(path, HTTP_ORIGIN=ORIGIN)
        response = public_views.assistant_config(request, public_key=clinic.public_key)
        assert response.status_code == 200, response.content

    baseline = summary(_timed([config] * (warm + max(turns, 200)), warm))

    # The pipeline: visits of VISIT messages; an emergency ends its visit.
    session: dict[str, str | None] = {"id": None}
    in_visit = [0]

    def turn(message: Message, n: int) -> Callable[[], None]:
        def call() -> None:
            if in_visit[0] >= VISIT:
                session["id"], in_visit[0] = None, 0
            answer = chat_turn(
                clinic=clinic,
                session_id=session["id"],
                message=message.text,
                attribution=None,
                visitor=Visitor(ip=f"203.0.113.{n % 250}", user_agent="bench", request_id=f"b{n}"),
            )
            assert answer.reply or answer.handoff, message
            session["id"] = answer.session_id
            in_visit[0] += 1
            if message.kind == "emergency":
                in_visit[0] = VISIT

        return call

    pipeline = summary(_timed([turn(m, n) for n, m in enumerate(run)], warm))
    with clinic_scope(clinic.pk):
        stored = Counter(ChatTurn.objects.values_list("speaker", flat=True))
        intents = Counter(
            ChatTurn.objects.filter(speaker=Speaker.ASSISTANT).values_list("intent", flat=True)
        )
        stopped = ChatTurn.objects.filter(speaker=Speaker.ASSISTANT, engine="guardrails").count()
        settings = settings_for_clinic()

    engine = EmbeddedEngine()

    def engine_turn(message: Message, tools: DbTools | None) -> Callable[[], None]:
        def call() -> None:
            now = dt.datetime.now(dt.UTC)
            with clinic_scope(clinic.pk):
                own = tools or DbTools(clinic, settings, None, now=now, dry_run=True)
                reply = engine.reply(
                    TurnInput(message=message.text, state={}, history=[], now=now), own
                )
            assert reply.text, message

        return call

    fresh = summary(_timed([engine_turn(m, None) for m in run], warm))
    with clinic_scope(clinic.pk):
        loaded = DbTools(clinic, settings, None, now=dt.datetime.now(dt.UTC), dry_run=True)
        loaded.knowledge()
    warm_engine = summary(_timed([engine_turn(m, loaded) for m in run], warm))

    modes = {"pipeline": pipeline, "engine": fresh, "engine_loaded": warm_engine}
    for result in modes.values():
        base = baseline["per_second"]
        result["ratio_to_baseline"] = round(result["per_second"] / base, 4) if base else 0.0
    return {
        "turns": turns,
        "warm_turns": warm,
        "message_set": len(messages),
        "kinds": dict(Counter(m.kind for m in timed)),
        "baseline": baseline,
        **modes,
        "stored_turns": {
            "visitor": stored.get(Speaker.VISITOR, 0),
            "assistant": stored.get(Speaker.ASSISTANT, 0),
        },
        "stopped_by_guardrails": stopped,
        "intents": dict(intents.most_common()),
        "background_cpu": background,
    }


# --- over HTTP ---------------------------------------------------------------------------------


def _call(url: str, body: dict[str, Any] | None = None) -> tuple[int, Any, dict[str, str]]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method="POST" if data else "GET")
    request.add_header("Origin", ORIGIN)
    if data:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            raw, status, headers = response.read(), response.status, dict(response.headers)
    except urllib.error.HTTPError as exc:
        raw, status, headers = exc.read(), exc.code, dict(exc.headers)
    try:
        return status, json.loads(raw) if raw else None, headers
    except ValueError:
        return status, raw, headers


def _expect(ok: bool, message: str) -> None:
    if not ok:
        raise SystemExit(f"bench: sanity check failed: {message}")


def _visitor_turns(clinic_id: str) -> int:
    from aescrm.assistant.models import ChatTurn, Speaker
    from aescrm.core.tenancy import clinic_scope

    with clinic_scope(uuid.UUID(clinic_id)):
        return ChatTurn.objects.filter(speaker=Speaker.VISITOR).count()


def over_http(
    data: dict[str, Any],
    *,
    seconds: int,
    warmup: int,
    connections: int,
    workdir: Path,
    seed: int = 2026,
) -> dict[str, Any]:
    """The bare config endpoint and the chat endpoint on the real server, with wrk."""
    from bench.run import THREADS, WORKERS, Server, _free_port, scenario

    # wrk is one client at one address: the chat limits still run on every message.
    os.environ["CHAT_RATE_PER_IP_PER_MINUTE"] = "100000000"
    os.environ["CHAT_RATE_PER_CLINIC_PER_MINUTE"] = "100000000"
    workdir.mkdir(parents=True, exist_ok=True)
    key = data["public_key"]
    config_path, chat_path = f"/public/v1/{key}/assistant", f"/public/v1/{key}/chat"
    messages = visitor_messages(MESSAGE_SET, data["knowledge_items"], seed)
    server = Server(_free_port(), workdir, audit_reads=True)
    print(f"== assistant server ({' '.join(server.command[1:])})", file=sys.stderr)
    server.start()
    try:
        base = server.base
        status, body, headers = _call(base + config_path)
        _expect(status == 200 and body["enabled"] is True, f"{config_path} answered {status}")
        _expect(headers.get("Access-Control-Allow-Origin") == ORIGIN, "no CORS header")
        name = TREATMENTS[0][0]
        status, first, _ = _call(base + chat_path, {"message": f"how much is a {name.lower()}"})
        _expect(status == 200 and "£" in first["reply"], f"a price question got {status} {first}")
        status, again, _ = _call(
            base + chat_path, {"session_id": first["session_id"], "message": "thanks"}
        )
        _expect(
            status == 200 and again["session_id"] == first["session_id"] and again["seq"] == 4,
            f"the session did not continue: {status} {again}",
        )
        status, urgent, _ = _call(base + chat_path, {"message": "I can't breathe"})
        _expect(status == 200 and "999" in urgent["reply"], "an emergency was not sent to 999")

        sessions = []
        for n in range(OPEN_SESSIONS):
            status, opened, _ = _call(base + chat_path, {"message": "hi" if n % 2 else "hello"})
            _expect(status == 200, f"opening a session answered {status}")
            sessions.append(opened["session_id"])
        files = {
            "bare": workdir / "assistant-paths.txt",
            "new": workdir / "assistant-new.jsonl",
            "continue": workdir / "assistant-continue.jsonl",
        }
        files["bare"].write_text(config_path + "\n")
        files["new"].write_text("".join(json.dumps({"message": m.text}) + "\n" for m in messages))
        continuing = [m for m in messages if m.kind != "emergency"]
        files["continue"].write_text(
            "".join(
                json.dumps({"session_id": sessions[i % len(sessions)], "message": m.text}) + "\n"
                for i, m in enumerate(continuing)
            )
        )
        common = {"token": "", "connections": connections, "origin": ORIGIN}
        scenarios = [
            (
                "assistant_bare",
                "GET /public/v1/{key}/assistant (bare)",
                {**common, "paths_file": files["bare"]},
            ),
            (
                "chat_new",
                "POST /public/v1/{key}/chat, a new session each message",
                {**common, "bodies": (chat_path, files["new"])},
            ),
            (
                "chat_continue",
                f"POST /public/v1/{{key}}/chat, continuing {OPEN_SESSIONS} sessions",
                {**common, "bodies": (chat_path, files["continue"])},
            ),
        ]
        results: dict[str, Any] = {}
        for name, label, options in scenarios:
            before = _visitor_turns(data["clinic_id"])
            scenario(server, name, label, options, warmup=warmup, seconds=seconds, results=results)
            results[name]["visitor_turns_stored"] = _visitor_turns(data["clinic_id"]) - before
    finally:
        server.stop()
    bare = results["assistant_bare"]["rps"]
    for name in ("chat_new", "chat_continue"):
        results[name]["ratio_to_bare"] = round(results[name]["rps"] / bare, 4) if bare else 0.0
    return {
        "server": f"gunicorn aescrm.wsgi --worker-class gthread --workers {WORKERS} "
        f"--threads {THREADS}",
        "client": f"wrk -t1 -c{connections} (Lua: bench/wrk.lua)",
        "connections": connections,
        "seconds": seconds,
        "warmup": warmup,
        "open_sessions": OPEN_SESSIONS,
        "results": results,
    }


# --- report --------------------------------------------------------------------------------------


def markdown(result: dict[str, Any]) -> str:
    engine = ENGINE_NAMES.get(result["engine"], result["engine"])
    p = result["in_process"]
    base = p["baseline"]
    lines = [
        f"## Website assistant on {engine} {result['engine_version']}",
        "",
        f"Measured {result['measured_at']} (Europe/London) on {result['cpus']} cores. One clinic "
        f"whose assistant knows {result['knowledge_items']} items ({result['treatments']} "
        "priced treatments imported from the catalogue, hours, location, finance, policies and "
        f"FAQs per treatment: {result['docs']} documents the engine searches), and a fixed set of "
        f"{p['message_set']} visitor messages ("
        + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in sorted(p["kinds"].items()))
        + f" of the {p['turns']} timed turns; a price question misspells the treatment one "
        "time in three). In-process, one thread, after "
        f"{p['warm_turns']} untimed turns. Baseline in the same run: the "
        "`GET /public/v1/{key}/assistant` view called in-process (key lookup, Origin check, "
        "the settings row, JSON), the work every public call does before any assistant work; "
        "*ratio* is turns/s over its calls/s.",
        "",
        "| what is timed | turns | p50 ms | p95 ms | max ms | turns/s | ratio to baseline |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| baseline: the config view | {base['count']} | {base['p50_ms']:.2f} "
        f"| {base['p95_ms']:.2f} | {base['max_ms']:.1f} | {base['per_second']:.0f} | 1 |",
    ]
    for key, label in (
        ("pipeline", "`chat_turn`: guardrails, engine, both turns stored and audited"),
        (
            "engine",
            "`EmbeddedEngine.reply` with a fresh `DbTools` (knowledge fingerprint checked)",
        ),
        ("engine_loaded", "`EmbeddedEngine.reply`, knowledge already loaded"),
    ):
        x = p[key]
        lines.append(
            f"| {label} | {x['count']} | {x['p50_ms']:.1f} | {x['p95_ms']:.1f} "
            f"| {x['max_ms']:.1f} | {x['per_second']:.1f} | {x['ratio_to_baseline']:.3f} |"
        )
    stored = p["stored_turns"]
    lines += [
        "",
        f"The pipeline stored {stored['visitor']} visitor and {stored['assistant']} assistant "
        f"turns (timed and warm-up), {p['stopped_by_guardrails']} of the answers from the "
        "inbound guardrails (emergency, medical, injection) without the engine. The engine "
        "rows take every message straight to the engine (no guardrails, fresh state, no "
        "history, nothing written).",
        "",
    ]
    fresh, loaded = p["engine"]["mean_ms"], p["engine_loaded"]["mean_ms"]
    if fresh > 0:
        lines += [
            f"Reading the knowledge is {(fresh - loaded) / fresh:.0%} of the engine's mean "
            f"time per turn ({fresh:.1f} ms with it read, {loaded:.2f} ms without). A fresh "
            "`DbTools` asks `docs_for_clinic`, which keeps each clinic's built documents and "
            "checks a fingerprint of the items, treatments and opening hours each turn (a "
            "count, a latest change and the catalogue's prices), rebuilding them only when "
            "one changed; the retrieval index is looked up by the whole tuple of documents. "
            "The language work itself (intent, retrieval with fuzzy matching, the reply) is "
            "the last row.",
            "",
        ]
    busy = p.get("background_cpu", -1)
    if busy >= 10:
        lines += [
            f"**Other load**: {busy:.0f} % of the CPU was busy with other processes in the "
            "second before the in-process run; the times are longer than the machine can do, "
            "and the ratios noisier.",
            "",
        ]
    http = result.get("http")
    if http:
        r = http["results"]
        lines += [
            f"Over HTTP: `{http['server']}` (as bench/run.py starts it; chat rate limits "
            f"raised so none answers 429, though they still run) and `{http['client']}`, "
            f"{http['warmup']} s warm-up then {http['seconds']} s measured per scenario, every "
            "request with the clinic website's `Origin`. New sessions: each message opens a "
            f"session. Continuing: messages rotate through {http['open_sessions']} open "
            "sessions (history and state read and written; emergencies left out, as they hand "
            "the session to the team).",
            "",
            "| scenario | req/s | p50 ms | p99 ms | ratio to bare | errors | visitor turns "
            "stored | other load |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for key in ("assistant_bare", "chat_new", "chat_continue"):
            x = r[key]
            ratio = "1" if key == "assistant_bare" else f"{x['ratio_to_bare']:.3f}"
            turns = "" if key == "assistant_bare" else f"{x['visitor_turns_stored']:,}"
            lines.append(
                f"| `{x['label']}` | {x['rps']:.0f} | {x['p50_us'] / 1000:.1f} "
                f"| {x['p99_us'] / 1000:.1f} | {ratio} | {x['errors']} | {turns} "
                f"| {x.get('background_cpu', -1):.0f}% |"
            )
        lines += [
            "",
            "Visitor turns stored count warm-up and measured requests (one per answered "
            "request, plus any still in flight when wrk stopped).",
        ]
    return "\n".join(lines).rstrip() + "\n"


SECTION = "## Website assistant"
BEFORE = "## Where the time goes"


def splice(doc: str, sections: list[str]) -> str:
    """``doc`` with the website assistant sections for the engines in ``sections`` replaced by
    them (where the old ones were, else before the profiling notes, where `make bench` puts
    them); everything else kept, an engine not run this time included."""
    engines = {" ".join(text.split("\n", 1)[0].split()[:5]) for text in sections}
    kept: list[str] = []
    at: int | None = None
    skipping = False
    for line in doc.splitlines():
        if line.startswith("## "):
            skipping = line.startswith(SECTION) and " ".join(line.split()[:5]) in engines
            if skipping and at is None:
                at = len(kept)
        if not skipping:
            kept.append(line)
    if at is None:
        at = next((i for i, line in enumerate(kept) if line.startswith(BEFORE)), len(kept))
    new = [line for text in sections for line in [*text.rstrip().splitlines(), ""]]
    if at == len(kept) and kept and kept[-1] != "":
        new = ["", *new]
    return "\n".join(kept[:at] + new + kept[at:]).rstrip() + "\n"


# --- command line --------------------------------------------------------------------------------


def _setup() -> None:
    os.environ.pop("AESCRM_TESTING", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aescrm.settings")
    import django

    django.setup()


def _engine_version() -> tuple[str, str]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        return connection.vendor, str(cursor.fetchone()[0]).split(" ")[0]


def run(args: argparse.Namespace) -> int:
    if not (1 <= args.items <= 5000 and 1 <= args.turns <= 100_000):
        sys.exit("bench: --items 1..5000, --turns 1..100000")
    if not (0 <= args.seconds <= 120 and 0 <= args.warmup <= 30 and 1 <= args.connections <= 64):
        sys.exit("bench: --seconds 0-120 (0: no HTTP part), --warmup 0-30, --connections 1-64")
    _setup()
    vendor, version = _engine_version()
    print(f"  {vendor}: a clinic with {args.items} knowledge items", file=sys.stderr)
    data = make_clinic(args.items)
    print(f"  {args.turns} turns in-process", file=sys.stderr)
    result: dict[str, Any] = {
        "engine": vendor,
        "engine_version": version,
        "measured_at": dt.datetime.now(LONDON).strftime("%Y-%m-%d %H:%M"),
        "cpus": os.cpu_count(),
        **{k: data[k] for k in ("knowledge_items", "treatments", "docs", "generate_seconds")},
        "in_process": in_process(data, args.turns),
    }
    p = result["in_process"]
    for key in ("baseline", "pipeline", "engine", "engine_loaded"):
        x = p[key]
        print(
            f"  {key:<14} p50 {x['p50_ms']:7.2f} ms  p95 {x['p95_ms']:7.2f} ms  "
            f"{x['per_second']:8.1f}/s",
            file=sys.stderr,
        )
    if args.seconds:
        result["http"] = over_http(
            data,
            seconds=args.seconds,
            warmup=args.warmup,
            connections=args.connections,
            workdir=args.out.parent / f"assistant-{vendor}",
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1))
    args.markdown.write_text(markdown(result))
    http = result.get("http") or {"results": {}}
    return 1 if any(x["errors"] for x in http["results"].values()) else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    measure = commands.add_parser("run", help="make the clinic, measure, write JSON and Markdown")
    measure.add_argument("--items", type=int, default=500)
    measure.add_argument("--turns", type=int, default=600)
    measure.add_argument("--seconds", type=int, default=12, help="per HTTP scenario; 0: none")
    measure.add_argument("--warmup", type=int, default=3)
    measure.add_argument("--connections", type=int, default=8)
    measure.add_argument("--out", type=Path, required=True)
    measure.add_argument("--markdown", type=Path, required=True)
    into = commands.add_parser("splice", help="put Markdown sections into docs/benchmarks.md")
    into.add_argument("--doc", type=Path, required=True)
    into.add_argument("sections", nargs="+", type=Path)
    args = parser.parse_args()
    if args.command == "splice":
        doc = args.doc.read_text() if args.doc.exists() else "# Benchmarks\n"
        args.doc.write_text(splice(doc, [p.read_text() for p in args.sections if p.exists()]))
        print(f"wrote {args.doc}", file=sys.stderr)
        return 0
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
