"""Write docs/benchmarks.md from the JSON that ``bench.run`` left for each engine.

Usage: python -m bench.report --out docs/benchmarks.md [--skipped ENGINES] RESULTS.json...
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

RATIO_TARGET = 1 / 3  # create and search: at least a third of the bare endpoint's throughput
AUDIT_TARGET = 0.15  # audit overhead on reads: under 15 %
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


NOTES = [
    "## Where the time goes (profiled with py-spy and cProfile)",
    "",
    "Not generated from this run: what profiling the same scenarios showed, to read the "
    "figures above with.",
    "",
    "- Every API request, before any patient work: the API key lookup (one query), the "
    "per-key rate limit (one atomic UPSERT, a write) and, on PostgreSQL, setting and "
    "resetting the connection's clinic for row-level security (two round trips). On "
    "SQLite every write takes the database's single write lock, so a read (rate limit and "
    "audit entry) contends with creates; creates queue behind each other (hence the long "
    "p99 for create on SQLite).",
    "- Create: one blind-index duplicate check, seven field encryptions, the patient row, "
    "about 30 search-token rows, the consent history, the audit entry and a durable "
    "commit.",
    "- Search: token counting for the rarest trigrams, one candidate subquery, then each "
    "page of candidates is decrypted and checked (so hash collisions never show) and every "
    "shown patient is decrypted for the answer; a common surname part decrypts dozens.",
    "- Read audit: one INSERT per read. On PostgreSQL it is one round trip that commits "
    "without waiting for an fsync (decision 0005); on SQLite it is one more write under "
    "the single write lock.",
    "- Against a no-op endpoint (~0.3 ms of server time) even one indexed ORM query per "
    "request is a large share. The floor scenario measures it: authenticating, counting "
    "the rate limit, validating a body, finding the patient and committing one encrypted, "
    "audited note already runs at 0.09–0.18 of the bare endpoint, so no create, enquiry "
    "or audited search can reach 0.33 on this stack, however it is optimised (decision 0015).",
    "- Threads of one Python process take turns on one interpreter lock: with 4 threads "
    "per worker, a request holding SQLite's write gate waited for the other threads' "
    "Python, and reads and enquiries ran at about half the rate of one thread per "
    "process.",
    "",
    "## Changes made from these measurements",
    "",
    "- Search tokens: a covering index `(clinic, token, patient)`; a search counts each "
    "query token's rows up to 1,000 and uses the four rarest (a UK phone's `447` is in "
    "every patient); candidates stay in the database as a subquery.",
    "- Blind indexes: `(clinic, email_bidx)` and `(clinic, phone_bidx)` instead of "
    "single-column indexes, and the duplicate check no longer orders by primary key "
    "(which made SQLite walk the whole clinic): create went from ~64 to ~180 requests a "
    "second in-process at 20,000 patients.",
    "- SQLite: persistent connections, a 64 MB page cache, memory-mapped reads, and "
    "`ANALYZE` after seeding and nightly from the worker (without statistics SQLite "
    "walked a clinic in date order to find three search candidates).",
    "- Rate limits: one atomic UPSERT per request instead of the database cache's seven "
    "queries and two write transactions (and the count is now exact).",
    "- PostgreSQL: a read's audit entry and the rate-limit counter commit without waiting "
    "for an fsync, in one statement each (decision 0005).",
    "- 28 November 2026: a page of rows unwraps its patients' keys with one key-vault "
    "query (search decrypted ~26 patients with a vault lookup each); search tokens go in "
    "as one statement instead of ~30 model objects; the API key lookup lost a join and an "
    "ORDER BY; usage analytics write once per transaction, not once per event; a new "
    "patient is encrypted (and their key made) before the write transaction opens; the "
    "SQLite key vault queues behind the write gate instead of sleeping in SQLite's busy "
    "handler; web processes run one thread each (gthread, 4 workers).",
    "- `AESCRM_AUDIT_READS` (default on) skips only read audit entries (`*.read`, `*.list`, "
    "`*.search`); a benchmarking switch that must stay on in production (the app logs a "
    "warning at start-up when it is off and DEBUG is off).",
]


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError):
        pass
    return "unknown"


def _wrk_version() -> str:
    if not shutil.which("wrk"):
        return "not installed"
    done = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    first = (done.stdout or done.stderr).splitlines()
    return first[0].split(" Copyright")[0] if first else "unknown"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _ms(us: float) -> str:
    return f"{us / 1000:.1f}"


def _verdict(ok: bool) -> str:
    return "**meets**" if ok else "**misses**"


def engine_section(run: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    r = run["results"]
    name = ENGINE_NAMES.get(run["engine"], run["engine"])
    bare = r["bare"]["rps"]
    lines = [
        f"## {name} {run['engine_version']}",
        "",
        f"{run['dataset']['patients']:,} patients in one clinic "
        f"({run['dataset']['search_token_rows']:,} search-token rows), generated in "
        f"{run['dataset']['generate_seconds']} s. Server A (audit on, as in production):",
        "",
        "| scenario | req/s | p50 ms | p99 ms | ratio to bare | target | result | errors "
        "| other load |",
        "| --- | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: |",
    ]
    summary: dict[str, Any] = {"engine": name}

    def row(key: str, base: float, target: str = "", ok: bool | None = None) -> None:
        x = r[key]
        ratio = x["rps"] / base if base else 0.0
        verdict = "" if ok is None else _verdict(ok)
        lines.append(
            f"| `{x['label']}` | {x['rps']:.0f} | {_ms(x['p50_us'])} | {_ms(x['p99_us'])} "
            f"| {ratio:.2f} | {target} | {verdict} | {x['errors']} "
            f"| {x.get('background_cpu', -1):.0f}% |"
        )

    row("bare", bare)
    summary["floor"] = r["floor"]["rps"] / bare if bare else 0.0
    row("floor", bare, "ceiling for writes")
    for key in ("create", "enquiry", "search_name", "search_phone"):
        ratio = r[key]["rps"] / bare if bare else 0.0
        ok = ratio >= RATIO_TARGET and r[key]["errors"] == 0
        summary[key] = (ratio, ok)
        row(key, bare, "≥ 0.33", ok)
    row("read_audit_on", bare)

    on, off = r["read_audit_on"], r["read_audit_off"]
    overhead = (off["rps"] - on["rps"]) / off["rps"] if off["rps"] else 0.0
    audit_ok = overhead < AUDIT_TARGET and on["errors"] == 0 and off["errors"] == 0
    # Reads with audit off cannot really be slower than with it on: that is noise
    # (other load, ordering), and the comparison says nothing either way.
    inconclusive = overhead < 0
    summary["audit"] = (overhead, audit_ok, inconclusive)
    lines += [
        "",
        "Audit on reads: the same `GET /api/v1/patients/{id}` (200 patients in rotation) on "
        "a fresh server A (audit on) and server B (`AESCRM_AUDIT_READS=false`), started "
        "side by side, warmed up, then measured in alternating rounds (A, B, A, B …); req/s "
        "is over all rounds, p50 the median round's, p99 the worst round's:",
        "",
        "| scenario | req/s | rounds req/s | p50 ms | p99 ms | errors | other load |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    for key in ("read_audit_on", "read_audit_off", "bare_b"):
        x = r[key]
        rounds = ", ".join(f"{v:.0f}" for v in x.get("rounds", []))
        lines.append(
            f"| `{x['label']}` | {x['rps']:.0f} | {rounds} | {_ms(x['p50_us'])} "
            f"| {_ms(x['p99_us'])} | {x['errors']} | {x.get('background_cpu', -1):.0f}% |"
        )
    lines += [
        "",
        f"Audit overhead on reads = (off − on) / off = ({off['rps']:.0f} − {on['rps']:.0f}) / "
        f"{off['rps']:.0f} = **{overhead:.1%}** (target < 15 %): "
        + (
            "**inconclusive**: the reads without audit came out slower than with it, so this "
            "run's noise is larger than the effect measured."
            if inconclusive
            else f"{_verdict(audit_ok)} target."
        ),
        "",
    ]
    return lines, summary


# Sections ``render`` writes itself; ``kept_sections`` keeps every other one.
OWN_SECTIONS = ("## Machine", "## Method", "## Targets", "## SQLite", "## PostgreSQL")


def kept_sections(doc: str) -> tuple[str, str]:
    """From an earlier docs/benchmarks.md: when it was written, and the sections this
    run did not measure (messaging, automation, report, assistant), to carry over."""
    written = ""
    if "are kept from the full run of " in doc:  # itself an API-only run: keep its source
        written = doc.split("are kept from the full run of ", 1)[1].split(".\n", 1)[0]
    elif "Written by `make bench` on " in doc:
        written = doc.split("Written by `make bench` on ", 1)[1].split(";", 1)[0]
    own = (*OWN_SECTIONS, *(line for line in NOTES if line.startswith("## ")))
    kept: list[str] = []
    keeping = False
    for line in doc.splitlines():
        if line.startswith("## "):
            keeping = not line.startswith(own)
        if keeping:
            kept.append(line)
    return written, "\n".join(kept).rstrip()


def render(
    runs: list[dict[str, Any]],
    skipped: list[str],
    extras: list[str] | None = None,
    kept_from: str = "",
) -> str:
    first = runs[0]
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    versions = ", ".join(
        f"{ENGINE_NAMES.get(x['engine'], x['engine'])} {x['engine_version']}" for x in runs
    )
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` on {now}; every run overwrites this file. The figures are "
        "from one run on the machine below; the ratios, measured against the bare endpoint "
        "on the same server in the same run, are the figures to compare between machines.",
        "",
    ]
    if kept_from:
        lines += [
            "This run was `BENCH_ONLY=api`: the API sections (machine, method, targets and one "
            "per engine) are new; the messaging, automation worker, attribution report and "
            f"website assistant sections are kept from the full run of {kept_from}.",
            "",
        ]
    lines += [
        "## Machine",
        "",
        f"- CPU: {_cpu_model()}, {os.cpu_count()} cores (`nproc`); memory {_memory_gib()}",
        f"- {platform.system()} {platform.release()}; Python {platform.python_version()}; "
        f"Django {_version('Django')}; django-ninja {_version('django-ninja')}; "
        f"gunicorn {_version('gunicorn')}; psycopg {_version('psycopg')}",
        f"- Engines: {versions} (Python's sqlite3 module links SQLite {sqlite3.sqlite_version})",
        f"- Load generator: {_wrk_version()} on the same machine",
        "",
        "## Method",
        "",
        f"- Server: `{first['server']}` on 127.0.0.1, started as production starts it "
        "(`DEBUG=false`, `AESCRM_MASTER_KEY`, `SECRET_KEY`, `PUBLIC_BASE_URL`, "
        "`ALLOWED_HOSTS=127.0.0.1`, no access log). No Redis: the per-key rate limiter uses "
        "the default database cache, as `make run` does.",
        f"- Client: `{first['client']}`, {first['connections']} keep-alive connections, "
        f"{first['warmup']} s warm-up (discarded) then {first['seconds']} s measured per "
        "scenario; p50/p99 are wrk's latency percentiles. Client and server share the "
        f"{os.cpu_count()} cores.",
        "- Data: a fresh database per engine, `aescrm migrate`, then `bench/generate.py` "
        "creates one clinic and its patients through the model layer (names, email, phone, "
        "date of birth, address and notes AES-256-GCM encrypted, blind indexes and search "
        "tokens as `patient_create` writes them) inside `clinic_scope`. PostgreSQL runs as "
        "the application role without BYPASSRLS, so row-level security is in force.",
        "- Scenarios (API key with every scope; its rate limit set high so no request is "
        "answered 429, though the limiter still runs):",
        "  - `GET /bench/bare`: a JSON endpoint that does no work, through the full "
        "middleware stack: the baseline.",
        "  - `POST /api/v1/patients`: a new patient per request with a unique name, email "
        "and phone (`07911 xxxxxx`).",
        "  - `POST /api/v1/bench/floor` (answers only with `AESCRM_BENCH_ENDPOINTS=true`): "
        "the least an API create can do — the same key check and rate limit, a JSON body "
        "validated, the patient found in the key's clinic, and a note added through the "
        "notes service (permission, the note encrypted under the patient's key, its audit "
        "entry, one commit). No create or enquiry can be faster, so its ratio to bare is "
        "the ceiling for theirs (decision 0015).",
        "  - `POST /public/v1/{public_key}/enquiries`: a website enquiry as the widget sends "
        "it (no API key; a new visitor each time with an email, a phone, marketing consent "
        "and its wording, and a Google Ads first touch): validated, spam-checked, "
        "deduplicated on the blind indexes, encrypted, audited, its touches classified and "
        "a lead conversion recorded. The per-IP and per-clinic limits run but are set so "
        "high that none answers 429.",
        f"  - `GET /api/v1/patients?search=`: {first['queries']['search_name']} parts "
        "of surnames (4–5 letters) in rotation, and "
        f"{first['queries']['search_phone']} phone numbers typed in UK national format "
        "(`07xxx xxxxxx`), each of an existing patient.",
        f"  - `GET /api/v1/patients/{{id}}`: {first['queries']['read']} patients in rotation, "
        "with audit on (server A) and off (server B, `AESCRM_AUDIT_READS=false`), the two "
        "servers side by side and measured in alternating rounds.",
        "- Before measuring, each server is checked: a search returns only patients that "
        "match, a phone search returns exactly its patient, and a read adds one "
        "`patient.read` audit entry with audit on and none with it off.",
        "- *other load*: share of the machine's CPU busy with something else in the second "
        "before each scenario (other processes on a shared machine); above ~10 % the "
        "figures are lower than the machine can do.",
        "",
        "## Targets",
        "",
        "| engine | create / bare | website enquiry / bare | search by name / bare "
        "| search by phone / bare | audit overhead on reads | floor / bare |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    sections: list[str] = []
    for run in runs:
        section, s = engine_section(run)
        sections += section

        def cell(value: tuple[Any, ...], pct: bool = False) -> str:
            shown = f"{value[0]:.1%}" if pct else f"{value[0]:.2f}"
            if len(value) > 2 and value[2]:
                return f"{shown} **inconclusive**"
            return f"{shown} {_verdict(value[1])}"

        lines.append(
            f"| {s['engine']} | {cell(s['create'])} | {cell(s['enquiry'])} "
            f"| {cell(s['search_name'])} "
            f"| {cell(s['search_phone'])} | {cell(s['audit'], pct=True)} "
            f"| {s['floor']:.2f} |"
        )
    lines += [
        "",
        "Targets: patient create, the public website enquiry (validation, dedupe, "
        "encryption, audit and attribution) and search at least 0.33 of the bare endpoint's "
        "throughput; audit "
        "overhead on reads under 15 %. *Floor*: `POST /api/v1/bench/floor`, the least any "
        "create does (one encrypted, audited row). Every scenario above does at least as "
        "much work of the same kinds (a search or a read also writes its audit entry), so "
        "the floor's ratio is about the best any of theirs could be (decision 0015).",
        "",
    ]
    busiest = max(
        (x.get("background_cpu", 0) for run in runs for x in run["results"].values()), default=0
    )
    if busiest >= 10:
        lines += [
            f"**This run shared the machine with other work**: up to {busiest:.0f} % of the "
            "CPU was busy with other processes in the second before a scenario (column "
            "*other load*). Throughput is then lower than the machine can do and the "
            "comparisons (ratios, audit on against off) are noisy; run `make bench` again "
            "on an idle machine for figures to rely on.",
            "",
        ]
    for engine in skipped:
        lines += [
            f"{ENGINE_NAMES.get(engine, engine)} was not reachable at 127.0.0.1:5432: "
            "not benchmarked in this run.",
            "",
        ]
    # Sections other benchmarks wrote as Markdown (e.g. bench/report_bench.py), kept whole.
    extra_lines = [line for text in extras or [] for line in [*text.rstrip().splitlines(), ""]]
    return "\n".join(lines + sections + extra_lines + NOTES).rstrip() + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--skipped", default="")
    parser.add_argument("--extra", type=Path, action="append", default=[])
    parser.add_argument(
        "--keep-from", type=Path, help="an earlier report: keep the sections this run did not make"
    )
    parser.add_argument("results", nargs="+", type=Path)
    args = parser.parse_args()
    runs = [json.loads(p.read_text()) for p in args.results]
    if not runs:
        sys.exit("bench: no results")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    extras = [p.read_text() for p in args.extra if p.exists()]
    written = ""
    if args.keep_from is not None and args.keep_from.exists():
        written, kept = kept_sections(args.keep_from.read_text())
        extras.append(kept)
        written = written or "an earlier date"
    args.out.write_text(render(runs, args.skipped.split(), extras, kept_from=written))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
