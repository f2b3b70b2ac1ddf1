#!/usr/bin/env bash
# Run the whole suite on SQLite, then on PostgreSQL when one is reachable.
set -u
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG_URL="${OBSERVATORIO_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/observatorio}"

run_suite() {
  local label=$1; shift
  echo "=== Suite on $label ==="
  "$BIN/python" -m pytest "$@"
  local rc=$?
  # pytest exits 5 when it collected no test: that is not a failure of the code.
  if [ "$rc" -eq 5 ]; then
    echo "No tests were collected on $label."
    rc=0
  fi
  return "$rc"
}

status=0
DATABASE_URL="" run_suite "SQLite" "$@" || status=1

if "$BIN/python" scripts/pg_ready.py "$PG_URL"; then
  DATABASE_URL="$PG_URL" run_suite "PostgreSQL" "$@" || status=1
else
  echo "=== PostgreSQL leg SKIPPED: no server answers at ${PG_URL%%/observatorio} ==="
  echo "    (start one, or set OBSERVATORIO_TEST_PG_URL; see DEVELOPERS.md)"
fi

exit "$status"
