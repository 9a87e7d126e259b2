#!/usr/bin/env bash
# `make bench`: for SQLite, then PostgreSQL when it is reachable, a fresh
# database with one generated clinic of 50,000 patients, the real server
# (gunicorn, 4 workers x 1 thread as scripts/run.sh, DEBUG off) and wrk against it; writes
# docs/benchmarks.md (with the attribution report benchmark, bench/report_bench.py,
# on PostgreSQL, and per engine the messaging benchmarks, bench/messaging.py: the
# inbound SMS webhook with a million texts stored, and the sender's rate against
# the fake Twilio; and the automation worker, bench/automation.py: 10,000
# reminders due in the same minute across 50 clinics, drained by one and by two
# Huey worker processes, next to Huey's own no-op task rate; and the website
# assistant, bench/assistant.py: chat turn latency in-process with a 500-item
# knowledge base next to the bare public config view, and the chat endpoint's
# rate next to the bare `GET /public/v1/{key}/assistant`). Everything listens
# and connects on 127.0.0.1 only.
#
# Knobs (environment): BENCH_PATIENTS (50000), BENCH_SECONDS (12 measured per
# scenario), BENCH_WARMUP (3), BENCH_CONNECTIONS (8), BENCH_MESSAGES (1000000
# texts stored), BENCH_SENDER_QUEUED (10000), BENCH_SMS_REQUESTS (30000 pre-signed
# webhook requests per scenario), BENCH_AUTOMATION_CLINICS (50),
# BENCH_AUTOMATION_PER_CLINIC (200 reminders each), BENCH_AUTOMATION_WORKERS
# ("1 2" worker processes, in turn), BENCH_AUTOMATION_THREADS (1 per process),
# BENCH_AUTOMATION_NOOP (10000 no-op tasks for the baseline), BENCH_REDIS_URL
# (redis://127.0.0.1:6379/0: RedisHuey for the PostgreSQL run; SQLite runs on
# SqliteHuey, as `make run` does), BENCH_ASSISTANT_ITEMS (500 knowledge items),
# BENCH_ASSISTANT_TURNS (600 timed turns per in-process measure),
# BENCH_ASSISTANT_SECONDS (BENCH_SECONDS: measured per chat endpoint scenario;
# 0 for the in-process part only), BENCH_ENGINES ("sqlite postgresql"),
# BENCH_PG_URL (postgres://aescrm_app:aescrm_app@127.0.0.1:5432/aescrm_bench; a
# role without BYPASSRLS, so row-level security is in force as in production),
# BENCH_ONLY ("": everything; "assistant": only the website assistant benchmark
# on a fresh database per engine, its sections replacing the ones in
# docs/benchmarks.md and the rest of the file kept; "api": only the API
# scenarios, bench.run without the SMS webhook, their sections replacing the
# machine, method, targets and per-engine sections and the rest kept).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
OUT=var/bench
PATIENTS="${BENCH_PATIENTS:-50000}"
MEASURE="${BENCH_SECONDS:-12}"
WARMUP="${BENCH_WARMUP:-3}"
CONNECTIONS="${BENCH_CONNECTIONS:-8}"
ENGINES="${BENCH_ENGINES:-sqlite postgresql}"
MESSAGES="${BENCH_MESSAGES:-1000000}"
QUEUED="${BENCH_SENDER_QUEUED:-10000}"
SMS_REQUESTS="${BENCH_SMS_REQUESTS:-30000}"
AUTO_CLINICS="${BENCH_AUTOMATION_CLINICS:-50}"
AUTO_PER_CLINIC="${BENCH_AUTOMATION_PER_CLINIC:-200}"
AUTO_WORKERS="${BENCH_AUTOMATION_WORKERS:-1 2}"
AUTO_THREADS="${BENCH_AUTOMATION_THREADS:-1}"
AUTO_NOOP="${BENCH_AUTOMATION_NOOP:-10000}"
BENCH_REDIS="${BENCH_REDIS_URL:-redis://127.0.0.1:6379/0}"
PG_URL="${BENCH_PG_URL:-postgres://aescrm_app:aescrm_app@127.0.0.1:5432/aescrm_bench}"
ASSISTANT_ITEMS="${BENCH_ASSISTANT_ITEMS:-500}"
ASSISTANT_TURNS="${BENCH_ASSISTANT_TURNS:-600}"
ASSISTANT_SECONDS="${BENCH_ASSISTANT_SECONDS:-$MEASURE}"
ONLY="${BENCH_ONLY:-}"
case "$ONLY" in
  "" | assistant | api) ;;
  *) echo "bench: BENCH_ONLY is empty, assistant or api, not $ONLY" >&2; exit 1 ;;
esac

if ! command -v wrk >/dev/null 2>&1; then
  echo "== installing wrk (Debian package), the load generator"
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
  else
    echo "bench: wrk is not installed; run 'sudo apt-get install -y wrk' and try again" >&2
    exit 1
  fi
fi

rm -rf "$OUT"
mkdir -p "$OUT/var"
# Throw-away secrets for this run only; the benchmark databases are scratch.
export AESCRM_VAR_DIR="$PWD/$OUT/var"
AESCRM_MASTER_KEY="$(DEBUG=1 "$BIN/aescrm" generate_master_key 2>/dev/null | tail -n 1)"
[ -n "$AESCRM_MASTER_KEY" ] || { echo "bench: could not generate a master key" >&2; exit 1; }
export AESCRM_MASTER_KEY
export SECRET_KEY="$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))')"
export DEBUG=false
unset AESCRM_MASTER_KEY_FILE SECRET_KEY_FILE REDIS_URL AESCRM_TESTING AESCRM_AUDIT_READS || true

# The website assistant on the current DATABASE_URL: its own clinic, in-process then HTTP.
assistant_bench() {
  echo "== $1: the website assistant, $ASSISTANT_ITEMS knowledge items, $ASSISTANT_TURNS turns"
  "$BIN/python" -m bench.assistant run --items "$ASSISTANT_ITEMS" --turns "$ASSISTANT_TURNS" \
    --seconds "$ASSISTANT_SECONDS" --warmup "$WARMUP" --connections "$CONNECTIONS" \
    --out "$OUT/$1-assistant.json" --markdown "$OUT/$1-assistant.md" \
    || echo "bench: the website assistant benchmark failed or had errors (see above)" >&2
  if [ -f "$OUT/$1-assistant.md" ]; then extras+=(--extra "$OUT/$1-assistant.md"); fi
}

started=$(date +%s)
results=()
skipped=()
extras=()
for engine in $ENGINES; do
  case "$engine" in
    sqlite)
      export DATABASE_URL="sqlite:///$PWD/$OUT/bench.sqlite3"
      ;;
    postgresql)
      set +e
      "$BIN/python" -m bench.pg "$PG_URL"
      rc=$?
      set -e
      if [ $rc = 3 ]; then
        echo "== PostgreSQL is not reachable at ${PG_URL%%\?*}: PostgreSQL run skipped"
        skipped+=("postgresql")
        continue
      elif [ $rc != 0 ]; then
        echo "bench: could not create the PostgreSQL benchmark database" >&2
        exit 1
      fi
      export DATABASE_URL="$PG_URL"
      ;;
    *)
      echo "bench: unknown engine $engine (sqlite, postgresql)" >&2
      exit 1
      ;;
  esac
  if [ "$ONLY" = assistant ]; then
    "$BIN/aescrm" migrate --noinput -v 0
    assistant_bench "$engine"
    continue
  fi
  echo "== $engine: migrate, then generate a clinic of $PATIENTS patients"
  "$BIN/aescrm" migrate --noinput -v 0
  "$BIN/python" -m bench.generate --patients "$PATIENTS" --out "$OUT/$engine-dataset.json"
  if [ "$engine" = postgresql ] && [ "$(id -u)" = 0 ] && command -v psql >/dev/null 2>&1; then
    # Write the bulk load's pages out now: otherwise the checkpoint it triggers
    # runs during the first scenarios and halves them (the application role
    # may not run CHECKPOINT; the server's superuser may).
    su postgres -c "psql -q -c CHECKPOINT" >/dev/null 2>&1 || echo "bench: could not run CHECKPOINT" >&2
  fi
  if [ "$ONLY" = api ]; then
    echo "== $engine: API benchmarks ($CONNECTIONS connections, ${WARMUP} s warm-up + ${MEASURE} s each)"
    "$BIN/python" -m bench.run --dataset "$OUT/$engine-dataset.json" --out "$OUT/$engine-results.json" \
      --seconds "$MEASURE" --warmup "$WARMUP" --connections "$CONNECTIONS"
    results+=("$OUT/$engine-results.json")
    continue
  fi
  echo "== $engine: store $MESSAGES texts in the clinic's SMS conversations"
  "$BIN/python" -m bench.messaging generate --dataset "$OUT/$engine-dataset.json" \
    --messages "$MESSAGES" --out "$OUT/$engine-messaging.json"
  echo "== $engine: benchmarks ($CONNECTIONS connections, ${WARMUP} s warm-up + ${MEASURE} s each)"
  "$BIN/python" -m bench.run --dataset "$OUT/$engine-dataset.json" --out "$OUT/$engine-results.json" \
    --seconds "$MEASURE" --warmup "$WARMUP" --connections "$CONNECTIONS" \
    --messaging "$OUT/$engine-messaging.json" --sms-requests "$SMS_REQUESTS"
  results+=("$OUT/$engine-results.json")
  echo "== $engine: the sender with $QUEUED texts due, against the fake Twilio"
  mkdir -p "$OUT/$engine-sender"
  "$BIN/python" -m bench.messaging sender --messaging "$OUT/$engine-messaging.json" \
    --queued "$QUEUED" --out "$OUT/$engine-sender/sender.json" \
    || echo "bench: the sender did not send each text exactly once (see above)" >&2
  "$BIN/python" -m bench.messaging report --results "$OUT/$engine-results.json" \
    --messaging "$OUT/$engine-messaging.json" --sender "$OUT/$engine-sender/sender.json" \
    --markdown "$OUT/$engine-messaging.md" && extras+=(--extra "$OUT/$engine-messaging.md")
  echo "== $engine: the automation worker, $AUTO_CLINICS clinics x $AUTO_PER_CLINIC reminders due at once"
  queue_env=()
  if [ "$engine" = postgresql ]; then queue_env=("REDIS_URL=$BENCH_REDIS"); fi
  env ${queue_env[@]+"${queue_env[@]}"} "$BIN/python" -m bench.automation \
    --clinics "$AUTO_CLINICS" --per-clinic "$AUTO_PER_CLINIC" --workers "$AUTO_WORKERS" \
    --threads "$AUTO_THREADS" --noop "$AUTO_NOOP" \
    --out "$OUT/$engine-automation.json" --markdown "$OUT/$engine-automation.md" \
    || echo "bench: the automation worker did not send each reminder exactly once (see above)" >&2
  if [ -f "$OUT/$engine-automation.md" ]; then extras+=(--extra "$OUT/$engine-automation.md"); fi
  assistant_bench "$engine"
done

if [ "$ONLY" = assistant ]; then
  sections=()
  for engine in $ENGINES; do
    if [ -f "$OUT/$engine-assistant.md" ]; then sections+=("$OUT/$engine-assistant.md"); fi
  done
  [ ${#sections[@]} -gt 0 ] || { echo "bench: no engine was benchmarked" >&2; exit 1; }
  "$BIN/python" -m bench.assistant splice --doc docs/benchmarks.md "${sections[@]}"
  echo "== wrote the website assistant sections of docs/benchmarks.md in $(( $(date +%s) - started )) s"
  exit 0
fi

if [ ${#results[@]} = 0 ]; then
  echo "bench: no engine was benchmarked" >&2
  exit 1
fi

if [ "$ONLY" = api ]; then
  "$BIN/python" -m bench.report --out docs/benchmarks.md --skipped "${skipped[*]:-}" \
    --keep-from docs/benchmarks.md "${results[@]}"
  echo "== wrote the API sections of docs/benchmarks.md in $(( $(date +%s) - started )) s"
  exit 0
fi

# The attribution report at 1,000,000 enquiries (PostgreSQL only): its own
# scratch database, filled in bulk SQL; BENCH_REPORT_ENQUIRIES (1000000),
# BENCH_REPORT_APPOINTMENTS (200000), BENCH_REPORT_RUNS (5).
if [[ " $ENGINES " == *" postgresql "* ]] && [[ " ${skipped[*]:-} " != *" postgresql "* ]]; then
  echo "== postgresql: attribution report benchmark"
  BENCH_DATABASE_URL="${BENCH_REPORT_PG_URL:-${PG_URL%/*}/aescrm_report_bench}" \
    "$BIN/python" -m bench.report_bench \
    --enquiries "${BENCH_REPORT_ENQUIRIES:-1000000}" \
    --appointments "${BENCH_REPORT_APPOINTMENTS:-200000}" \
    --runs "${BENCH_REPORT_RUNS:-5}" \
    --json "$OUT/report-bench.json" --markdown "$OUT/report-bench.md" \
    && extras+=(--extra "$OUT/report-bench.md") \
    || echo "bench: the attribution report benchmark failed (see above)" >&2
fi
"$BIN/python" -m bench.report --out docs/benchmarks.md --skipped "${skipped[*]:-}" \
  ${extras[@]+"${extras[@]}"} "${results[@]}"
echo "== wrote docs/benchmarks.md in $(( $(date +%s) - started )) s"
