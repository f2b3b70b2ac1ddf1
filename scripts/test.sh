#!/usr/bin/env bash
# Run the whole suite on SQLite and, when one is reachable, on PostgreSQL.
#
# The two legs run at the same time (each is one mostly single-threaded Python
# process, and PostgreSQL's own work runs beside them): the PostgreSQL leg prints
# as it goes, the SQLite leg's output follows when both have ended. Set
# OBSERVATORIO_TEST_SERIAL=1 to run them one after the other instead.
#
# Each test that reaches the database runs on both legs, but for the browser tests (a page
# renders alike whichever database served it; what it does to the database is tested on
# both legs through the test client), which run on SQLite; the tests that never reach a
# database (parsers, text functions, files) run once, on the PostgreSQL leg, which would
# otherwise end first (OBSERVATORIO_TEST_LEG, see observatorio/conftest.py). Without
# PostgreSQL, SQLite runs everything.
set -u
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG_URL="${OBSERVATORIO_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/observatorio}"

run_suite() {
  local label=$1; shift
  echo "=== Suite on $label ==="
  # The slowest tests are listed at the end (CI must stay under 20 minutes).
  "$BIN/python" -m pytest --durations=15 "$@"
  local rc=$?
  # pytest exits 5 when it collected no test: that is not a failure of the code.
  if [ "$rc" -eq 5 ]; then
    echo "No tests were collected on $label."
    rc=0
  fi
  return "$rc"
}

status=0
echo "=== Layers (import-linter, .importlinter) ==="
"$BIN/lint-imports" --no-cache || status=1

if ! "$BIN/python" scripts/pg_ready.py "$PG_URL"; then
  DATABASE_URL="" run_suite "SQLite" "$@" || status=1
  echo "=== PostgreSQL leg SKIPPED: no server answers at ${PG_URL%%/observatorio} ==="
  echo "    (start one, or set OBSERVATORIO_TEST_PG_URL; see DEVELOPERS.md)"
elif [ -n "${OBSERVATORIO_TEST_SERIAL:-}" ]; then
  DATABASE_URL="" OBSERVATORIO_TEST_LEG=sqlite run_suite "SQLite" "$@" || status=1
  DATABASE_URL="$PG_URL" OBSERVATORIO_TEST_LEG=postgresql run_suite "PostgreSQL" "$@" || status=1
else
  mkdir -p var
  log=var/test-sqlite.log
  echo "=== SQLite leg running in parallel; its output follows the PostgreSQL leg's ($log) ==="
  ( DATABASE_URL="" OBSERVATORIO_TEST_LEG=sqlite run_suite "SQLite" "$@" >"$log" 2>&1 ) &
  sqlite_pid=$!
  trap 'kill "$sqlite_pid" 2>/dev/null' INT TERM
  DATABASE_URL="$PG_URL" OBSERVATORIO_TEST_LEG=postgresql run_suite "PostgreSQL" "$@" || status=1
  wait "$sqlite_pid" || status=1
  cat "$log"
fi

exit "$status"
