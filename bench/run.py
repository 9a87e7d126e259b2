"""Run the HTTP benchmarks for one engine against the real server (gunicorn).

The database must already be migrated and hold the clinic from
``bench.generate`` (its JSON is ``--dataset``). Starts gunicorn as production
runs it, checks that every scenario answers correctly, then drives each
scenario with wrk for a warm-up and a measured period, and writes the figures
as JSON to ``--out``. Server A has audit on (as in production) and runs the
bare endpoint, create, the floor, the enquiry and both searches; then a fresh
server A and server B (``AESCRM_AUDIT_READS=false``) run side by side, B its
bare endpoint, and the same read in alternating rounds on each.
With ``--messaging`` (from ``bench.messaging generate``) server A also runs the
inbound SMS webhook and, as its baseline, ``/bench/twilio-bare`` (the same
signature check alone), both with requests signed as Twilio signs them.

Usage: python -m bench.run --dataset var/bench/sqlite.json --out var/bench/sqlite-results.json
(DATABASE_URL, AESCRM_MASTER_KEY and SECRET_KEY come from the environment.)
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
LUA = ROOT / "bench" / "wrk.lua"
# As scripts/run.sh starts it; BENCH_WORKERS / BENCH_THREADS try other shapes.
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
THREADS = int(os.environ.get("BENCH_THREADS", "1"))
FLOOR_PATH = "/api/v1/bench/floor"


def background_cpu_percent(seconds: float = 1.0) -> float:
    """Share of the machine's CPU busy over ``seconds`` while the server idles:
    other work on the machine that competes with the benchmark."""

    def sample() -> tuple[int, int]:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
        return sum(fields), idle

    try:
        total0, idle0 = sample()
        time.sleep(seconds)
        total1, idle1 = sample()
    except (OSError, ValueError, IndexError):
        return -1.0
    busy = (total1 - total0) - (idle1 - idle0)
    return round(100.0 * busy / max(1, total1 - total0), 1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """gunicorn as `make run` and production start it, on 127.0.0.1 only."""

    def __init__(self, port: int, workdir: Path, audit_reads: bool) -> None:
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.audit_reads = audit_reads
        self.log = workdir / f"gunicorn-{port}.log"
        self.command = [
            str(BIN / "gunicorn"),
            "aescrm.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--worker-class",
            "gthread",
            "--workers",
            str(WORKERS),
            "--threads",
            str(THREADS),
            "--log-level",
            "warning",
        ]
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60.0) -> None:
        env = dict(os.environ)
        env.update(
            DEBUG="false",
            AESCRM_TESTING="false",
            PUBLIC_BASE_URL=self.base,
            ALLOWED_HOSTS="127.0.0.1",
            AESCRM_AUDIT_READS="true" if self.audit_reads else "false",
            AESCRM_BENCH_ENDPOINTS="true",
            LOG_LEVEL="WARNING",
            # wrk is one client at one address: the per-IP and per-clinic limits
            # still run on every enquiry, but set so high they never answer 429.
            PUBLIC_RATE_PER_IP_PER_MINUTE="100000000",
            PUBLIC_RATE_PER_CLINIC_PER_MINUTE="100000000",
        )
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                self.command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}; see {self.log}")
            try:
                status, _ = http(self.base + "/healthz", timeout=2)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer /healthz within {timeout:.0f} s")

    def stop(self, timeout: float = 20.0) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)  # the master stops its workers
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)  # its own session: only our processes
            self.proc.wait(timeout=5)


def http(
    url: str, *, token: str = "", body: dict[str, Any] | None = None, timeout: float = 10
) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method="POST" if data else "GET")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    if data:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        raw, status = exc.read(), exc.code
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, raw


def _expect(ok: bool, message: str) -> None:
    if not ok:
        raise SystemExit(f"bench: sanity check failed: {message}")


def sanity_checks(server: Server, data: dict[str, Any], paths: dict[str, list[str]]) -> None:
    """Every scenario must do the real thing before its speed means anything."""
    base, key = server.base, data["api_key"]
    status, body = http(base + "/bench/bare")
    _expect(status == 200 and body == {"ok": True}, f"/bench/bare answered {status}")

    # A website enquiry becomes a lead whose first touch is the ad click it carried.
    status, body = http(
        f"{base}/public/v1/{data['public_key']}/enquiries",
        body={
            "first_name": "Sanity",
            "last_name": "Enquirer",
            "email": f"sanity.enquirer.{server.port}@example.org",
            "message": "Do you do implants?",
            "first_touch": {"gclid": f"SANITY{server.port}", "utm_source": "google"},
        },
    )
    _expect(status == 201 and "enquiry" in body, f"public enquiry answered {status}: {body}")
    status, found = http(f"{base}/api/v1/patients?search=sanity.enquirer.{server.port}", token=key)
    _expect(status == 200 and len(found["items"]) == 1, "the enquiry made no findable lead")
    status, lead = http(f"{base}/api/v1/patients/{found['items'][0]['id']}", token=key)
    _expect(
        (lead.get("first_touch") or {}).get("gclid") == f"SANITY{server.port}",
        "the lead's first touch does not hold the ad click",
    )

    status, body = http(
        base + "/api/v1/patients",
        token=key,
        body={
            "first_name": "Sanity",
            "last_name": f"Checkperson{server.port}",
            "email": f"sanity.{server.port}@example.org",
            "phone": f"07912 {int(server.audit_reads)}{server.port:05d}",
        },
    )
    _expect(status == 201, f"POST /api/v1/patients answered {status}: {body}")
    created = body["id"]

    for query in data["surname_queries"][:5]:
        status, body = http(
            base + "/api/v1/patients?search=" + urllib.parse.quote(query), token=key
        )
        _expect(status == 200, f"search {query!r} answered {status}")
        items = body["items"]
        _expect(len(items) > 0, f"search {query!r} found nobody")
        _expect(
            all(
                query
                in " ".join([p["first_name"] or "", p["last_name"] or "", p["email"] or ""]).lower()
                for p in items
            ),
            f"search {query!r} returned a patient whose name and email do not contain it",
        )
    for query, expected in list(zip(data["phone_queries"], data["phone_expect"], strict=True))[:5]:
        status, body = http(
            base + "/api/v1/patients?search=" + urllib.parse.quote(query), token=key
        )
        _expect(status == 200, f"phone search {query!r} answered {status}")
        _expect(
            [p["id"] for p in body["items"]] == [expected],
            f"phone search {query!r} did not find exactly its patient",
        )

    # A read writes one patient.read entry with audit on, none with it off.
    def reads_logged() -> int:
        status, body = http(
            f"{base}/api/v1/audit?action=patient.read&object_id={created}", token=key
        )
        _expect(status == 200, f"GET /api/v1/audit answered {status}")
        return len(body["items"])

    # The floor endpoint writes its one encrypted row and audits it.
    def notes_logged(patient_id: str) -> int:
        status, body = http(
            f"{base}/api/v1/audit?action=note.create&object_id={patient_id}", token=key
        )
        _expect(status == 200, f"GET /api/v1/audit answered {status}")
        return len(body["items"])

    noted = notes_logged(created)
    status, body = http(
        base + FLOOR_PATH, token=key, body={"patient_id": created, "body": "Sanity note."}
    )
    _expect(status == 201 and "id" in body, f"{FLOOR_PATH} answered {status}: {body}")
    _expect(notes_logged(created) == noted + 1, f"{FLOOR_PATH} did not audit its note")

    before = reads_logged()
    status, body = http(f"{base}/api/v1/patients/{created}", token=key)
    _expect(status == 200 and body["id"] == created, f"GET patient answered {status}")
    added = reads_logged() - before
    _expect(
        added == (1 if server.audit_reads else 0),
        f"a read added {added} audit entries with AESCRM_AUDIT_READS={server.audit_reads}",
    )
    for name, scenario_paths in paths.items():
        status, _ = http(base + scenario_paths[0], token=key)
        _expect(status == 200, f"{name}: {scenario_paths[0]} answered {status}")


def post_form(url: str, params: dict[str, str], signature: str) -> tuple[int, str]:
    data = urllib.parse.urlencode(params).encode()
    request = urllib.request.Request(url, data=data, method="POST")
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    request.add_header("X-Twilio-Signature", signature)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def sms_sanity_checks(server: Server, data: dict[str, Any], messaging: dict[str, Any]) -> None:
    """Signed requests are answered, forged ones refused, and a text from a new number
    becomes a findable lead exactly once (a replay of it adds nothing)."""
    from twilio.request_validator import RequestValidator

    from bench.messaging import BARE_PATH, INBOUND_PATH, signed_params

    base, key = server.base, data["api_key"]
    validator = RequestValidator(messaging["auth_token"])
    phone = f"+447955{server.port:06d}"
    params = signed_params(
        f"SMbenchs{server.port:026d}", phone, "Hello, is this the clinic?", messaging["number"]
    )
    for path in (BARE_PATH, INBOUND_PATH):
        url = base + path
        status, _ = post_form(url, params, "forged" + validator.compute_signature(url, params))
        _expect(status == 403, f"{path} answered {status} to a forged signature")
    signature = validator.compute_signature(base + BARE_PATH, params)
    status, body = post_form(base + BARE_PATH, params, signature)
    _expect(status == 200 and "<Response></Response>" in body, f"{BARE_PATH} answered {status}")
    signature = validator.compute_signature(base + INBOUND_PATH, params)
    national = "0" + phone.removeprefix("+44")
    for _ in range(2):  # the second is Twilio retrying: nothing new
        status, body = post_form(base + INBOUND_PATH, params, signature)
        _expect(status == 200 and "<Response>" in body, f"{INBOUND_PATH} answered {status}")
        status, found = http(f"{base}/api/v1/patients?search={national}", token=key)
        _expect(
            status == 200 and [p["last_name"] for p in found["items"]] == ["(SMS enquiry)"],
            f"the text from a new number made {len(found.get('items', []))} leads, not one",
        )


def wrk(
    server: Server,
    *,
    token: str,
    connections: int,
    seconds: int,
    paths_file: Path | None = None,
    post_seq: int | None = None,
    enquiry_path: str | None = None,
    signed: tuple[str, Path] | None = None,
    bodies: tuple[str, Path] | None = None,
    origin: str = "",
) -> dict[str, Any]:
    env = dict(os.environ, BENCH_TOKEN=token, BENCH_ORIGIN=origin)
    if bodies is not None:  # JSON POSTs to bodies[0], the bodies in the file, in rotation
        env.update(BENCH_MODE="bodies", BENCH_PATH=bodies[0], BENCH_BODIES=str(bodies[1]))
    elif signed is not None:
        env.update(BENCH_MODE="signed", BENCH_PATH=signed[0], BENCH_SIGNED=str(signed[1]))
    elif enquiry_path is not None:
        env.update(BENCH_MODE="enquiry", BENCH_SEQ=str(post_seq), BENCH_ENQUIRY_PATH=enquiry_path)
    elif post_seq is not None:
        env.update(BENCH_MODE="post", BENCH_SEQ=str(post_seq))
    else:
        env.update(BENCH_MODE="get", BENCH_PATHS=str(paths_file))
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        server.base,
    ]
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    for line in done.stdout.splitlines():
        if line.startswith("BENCH_RESULT "):
            result: dict[str, Any] = json.loads(line.removeprefix("BENCH_RESULT "))
            seconds_run = result["duration_us"] / 1e6
            result["rps"] = round(result["requests"] / seconds_run, 1) if seconds_run else 0.0
            result["errors"] = (
                sum(
                    result[k]
                    for k in ("connect_errors", "read_errors", "write_errors", "status_errors")
                )
                + result["timeouts"]
            )
            return result
    raise RuntimeError(f"wrk printed no result (exit {done.returncode}): {done.stderr.strip()}")


def scenario(
    server: Server,
    name: str,
    label: str,
    args: dict[str, Any],
    *,
    warmup: int,
    seconds: int,
    results: dict[str, Any],
) -> None:
    print(f"  {name:<16} warm-up {warmup} s, measuring {seconds} s …", end=" ", flush=True)
    background = background_cpu_percent()
    args, warm_args = dict(args), dict(args)
    if "post_seq" in warm_args:
        warm_args["post_seq"] = 0  # warm-up and measured run use disjoint phone numbers
    if "sms" in args:
        # Requests signed for this server's URL; warm-up and measured run each get their
        # own MessageSids (tags "w" and "m"; bench.messaging counts the "m" ones stored).
        path, phones, count, workdir = args.pop("sms")
        warm_args.pop("sms")
        from bench.messaging import write_signed_requests

        for tag, options, n in (("w", warm_args, max(1000, count // 4)), ("m", args, count)):
            file = workdir / f"signed-{name}-{tag}.txt"
            prefix = "b" + tag if path != "/webhooks/twilio/sms" else tag
            write_signed_requests(file, url=server.base + path, phones=phones, count=n, tag=prefix)
            options["signed"] = (path, file)
    wrk(server, seconds=warmup, **warm_args)
    result = wrk(server, seconds=seconds, **args)
    result.update(label=label, audit_reads=server.audit_reads, background_cpu=background)
    results[name] = result
    flag = f", {result['errors']} ERRORS" if result["errors"] else ""
    flag += f", {result['wrapped']} REPEATED" if result.get("wrapped") else ""
    flag += f"  (other load {background:.0f}% CPU)" if background >= 10 else ""
    print(
        f"{result['rps']:8.1f} req/s  p50 {result['p50_us'] / 1000:6.1f} ms  "
        f"p99 {result['p99_us'] / 1000:6.1f} ms{flag}"
    )


READ_ROUNDS = 3


def audit_comparison(
    workdir: Path,
    data: dict[str, Any],
    paths: dict[str, list[str]],
    read: dict[str, Any],
    bare: dict[str, Any],
    timing: dict[str, int],
    results: dict[str, Any],
) -> None:
    """The same read with audit on and off, on two fresh servers started together and
    measured in alternating rounds, so neither gains from warmer caches or a quieter
    machine (one after the other, the second server's figures swung by ±50 %)."""
    on = Server(_free_port(), workdir, audit_reads=True)
    off = Server(_free_port(), workdir, audit_reads=False)
    print(
        f"== audit on reads: server A again and server B (AESCRM_AUDIT_READS=false), "
        f"{READ_ROUNDS} alternating rounds"
    )
    try:
        for server in (on, off):
            server.start()
            sanity_checks(server, data, {"read": paths["read"]})
        scenario(off, "bare_b", "GET /bench/bare (server B)", bare, results=results, **timing)
        for server in (on, off):  # the warm-up, discarded
            wrk(server, seconds=timing["warmup"], **read)
        rounds: dict[str, list[dict[str, Any]]] = {"read_audit_on": [], "read_audit_off": []}
        per_round = max(2, -(-timing["seconds"] // READ_ROUNDS))
        for _ in range(READ_ROUNDS):
            for name, server in (("read_audit_on", on), ("read_audit_off", off)):
                background = background_cpu_percent()
                result = wrk(server, seconds=per_round, **read)
                result["background_cpu"] = background
                rounds[name].append(result)
        for name, label in (
            ("read_audit_on", "GET /api/v1/patients/{id}, audit on"),
            ("read_audit_off", "GET /api/v1/patients/{id}, audit off"),
        ):
            results[name] = combined(rounds[name], label=label, audit_reads=name.endswith("on"))
            x = results[name]
            print(
                f"  {name:<16} {READ_ROUNDS} x {per_round} s … {x['rps']:8.1f} req/s  "
                f"p50 {x['p50_us'] / 1000:6.1f} ms  p99 {x['p99_us'] / 1000:6.1f} ms"
            )
    finally:
        on.stop()
        off.stop()


def combined(rounds: list[dict[str, Any]], *, label: str, audit_reads: bool) -> dict[str, Any]:
    """Rounds of one scenario as one result: every request over all the time measured;
    the median round's p50 and the worst round's p99."""
    requests = sum(r["requests"] for r in rounds)
    duration = sum(r["duration_us"] for r in rounds)
    p50s = sorted(r["p50_us"] for r in rounds)
    return {
        "requests": requests,
        "duration_us": duration,
        "rps": round(requests / (duration / 1e6), 1) if duration else 0.0,
        "p50_us": p50s[len(p50s) // 2],
        "p99_us": max(r["p99_us"] for r in rounds),
        "errors": sum(r["errors"] for r in rounds),
        "background_cpu": max(r["background_cpu"] for r in rounds),
        "rounds": [r["rps"] for r in rounds],
        "label": label,
        "audit_reads": audit_reads,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seconds", type=int, default=12)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--messaging", type=Path, help="bench.messaging generate's JSON")
    parser.add_argument(
        "--sms-requests", type=int, default=30_000, help="pre-signed requests per SMS scenario"
    )
    args = parser.parse_args()
    if not (1 <= args.seconds <= 120 and 0 <= args.warmup <= 30 and 1 <= args.connections <= 64):
        sys.exit("bench: --seconds 1-120, --warmup 0-30, --connections 1-64")

    data = json.loads(args.dataset.read_text())
    messaging = json.loads(args.messaging.read_text()) if args.messaging else None
    workdir = args.out.parent
    workdir.mkdir(parents=True, exist_ok=True)
    q = urllib.parse.quote
    paths = {
        "bare": ["/bench/bare"],
        "search_name": [f"/api/v1/patients?search={q(s)}" for s in data["surname_queries"]],
        "search_phone": [f"/api/v1/patients?search={q(s)}" for s in data["phone_queries"]],
        "read": [f"/api/v1/patients/{pid}" for pid in data["read_ids"]],
    }
    files = {}
    for name, lines in paths.items():
        files[name] = workdir / f"paths-{name}.txt"
        files[name].write_text("\n".join(lines) + "\n")
    files["floor"] = workdir / "bodies-floor.txt"
    files["floor"].write_text(
        "".join(
            json.dumps({"patient_id": pid, "body": "Rang back, left a voicemail."}) + "\n"
            for pid in data["read_ids"]
        )
    )

    token = data["api_key"]
    common = {"token": token, "connections": args.connections}
    timing = {"warmup": args.warmup, "seconds": args.seconds}
    results: dict[str, Any] = {}
    started = time.monotonic()

    bare = {"connections": args.connections, "token": "", "paths_file": files["bare"]}
    enquiry_path = f"/public/v1/{data['public_key']}/enquiries"
    read = {**common, "paths_file": files["read"]}
    sms_scenarios: list[tuple[str, str, dict[str, Any]]] = []
    if messaging:
        phones, n = messaging["phones"], args.sms_requests
        sms_scenarios = [
            (
                "sms_bare",
                "POST /bench/twilio-bare (signature check only)",
                {**bare, "paths_file": None, "sms": ("/bench/twilio-bare", phones, n, workdir)},
            ),
            (
                "sms_inbound",
                "POST /webhooks/twilio/sms (inbound SMS)",
                {**bare, "paths_file": None, "sms": ("/webhooks/twilio/sms", phones, n, workdir)},
            ),
        ]
    # (server's audit_reads, the checks it gets, its scenarios: name, label, wrk options)
    # Server A, audit on as in production: (name, label, wrk options) in turn.
    scenarios = [
        ("bare", "GET /bench/bare", bare),
        ("create", "POST /api/v1/patients", {**common, "post_seq": 500_000}),
        (
            "floor",
            "POST /api/v1/bench/floor (the least a create does)",
            {**common, "bodies": (FLOOR_PATH, files["floor"])},
        ),
        (
            "enquiry",
            "POST /public/v1/{public_key}/enquiries",
            {**bare, "post_seq": 500_000, "enquiry_path": enquiry_path},
        ),
        (
            "search_name",
            "GET /api/v1/patients?search=<part of a surname>",
            {**common, "paths_file": files["search_name"]},
        ),
        (
            "search_phone",
            "GET /api/v1/patients?search=<UK national phone>",
            {**common, "paths_file": files["search_phone"]},
        ),
        *sms_scenarios,
    ]
    server = Server(_free_port(), workdir, audit_reads=True)
    print(f"== server A: audit on ({' '.join(server.command[1:])})")
    server.start()
    try:
        sanity_checks(server, data, paths)
        if messaging:
            sms_sanity_checks(server, data, messaging)
        for name, label, options in scenarios:
            scenario(server, name, label, options, results=results, **timing)
    finally:
        server.stop()
    audit_comparison(workdir, data, paths, read, bare, timing, results)

    out = {
        "engine": data["engine"],
        "engine_version": data["engine_version"],
        "dataset": {k: data[k] for k in ("patients", "search_token_rows", "generate_seconds")},
        "server": " ".join(
            [
                "gunicorn",
                *server.command[1:2],
                "--worker-class gthread --workers",
                str(WORKERS),
                "--threads",
                str(THREADS),
            ]
        ),
        "client": f"wrk -t1 -c{args.connections} (Lua: bench/wrk.lua)",
        "connections": args.connections,
        "seconds": args.seconds,
        "warmup": args.warmup,
        "queries": {
            "search_name": len(data["surname_queries"]),
            "search_phone": len(data["phone_queries"]),
            "read": len(data["read_ids"]),
        },
        "results": results,
        "wall_seconds": round(time.monotonic() - started, 1),
    }
    args.out.write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
