#!/usr/bin/env bash
# `make run`: the CRM with its demo clinics on SQLite, a web server and a worker.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT="${PORT:-8000}"
mkdir -p var

# Local secrets live in var/ (git-ignored). Real deployments set them in the environment.
if [ -z "${AESCRM_MASTER_KEY:-}" ] && [ -z "${AESCRM_MASTER_KEY_FILE:-}" ]; then
  if [ ! -s var/master.key ]; then
    (umask 077; DEBUG=1 "$BIN/aescrm" generate_master_key 2>/dev/null | tail -n 1 > var/master.key)
    echo "Generated a local master key in var/master.key. Keep it: the demo data cannot be read without it."
  fi
  export AESCRM_MASTER_KEY_FILE="$PWD/var/master.key"
fi
if [ -z "${SECRET_KEY:-}" ] && [ -z "${SECRET_KEY_FILE:-}" ]; then
  if [ ! -s var/secret.key ]; then
    (umask 077; "$BIN/python" -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret.key)
  fi
  export SECRET_KEY_FILE="$PWD/var/secret.key"
fi
export PUBLIC_BASE_URL="${PUBLIC_BASE_URL:-http://127.0.0.1:$PORT}"
# Providers record what they would send instead of calling out (decision 0009):
# a local demo must not upload conversions to real ad accounts.
export CONVERSIONS_MODE="${CONVERSIONS_MODE:-console}"
export MESSAGING_MODE="${MESSAGING_MODE:-console}"

"$BIN/aescrm" migrate --noinput -v 0
"$BIN/aescrm" seed_demo > var/demo-logins.txt

"$BIN/aescrm" run_huey --quiet &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM

cat <<MSG

  AES-CRM is running at http://127.0.0.1:$PORT/
  (web server and background worker; press Ctrl+C to stop)

  Demo logins (also in var/demo-logins.txt):
$(sed 's/^/  /' var/demo-logins.txt)

MSG
# One thread per worker process, and more processes: requests are CPU-bound
# Python, and threads of one process queue for its interpreter lock (measured in
# docs/decisions/0015: reads and enquiries ~1.3-1.9x, p99 lower). WEB_CONCURRENCY
# sets the number of processes (default 4, twice the cores of a small machine).
"$BIN/gunicorn" aescrm.wsgi --bind "127.0.0.1:$PORT" --worker-class gthread \
  --workers "${WEB_CONCURRENCY:-4}" --threads 1 --access-logfile - --log-level warning
