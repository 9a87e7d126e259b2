#!/usr/bin/env bash
# `make test`: the whole suite on SQLite, then again on PostgreSQL when
# TEST_DATABASE_URL names one (e.g. postgres://aescrm_app@127.0.0.1:5432/aescrm).
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
status=0

echo "== test suite on SQLite"
AESCRM_TEST_ENGINE=sqlite "$BIN/pytest" "$@" || status=$?

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  echo "== test suite on PostgreSQL ($TEST_DATABASE_URL)"
  AESCRM_TEST_ENGINE=postgresql "$BIN/pytest" "$@" || status=$?
else
  echo "== TEST_DATABASE_URL is not set: PostgreSQL run skipped"
fi
exit $status
