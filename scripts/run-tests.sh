#!/usr/bin/env bash
# The whole suite on SQLite, then on a PostgreSQL server of this run's own (a private data
# directory and a free port), stopped and removed on exit whatever happens.
# `run-tests.sh postgres` runs only the latter. PYTEST names the test runner (default .venv/bin/pytest).
set -uo pipefail
cd "$(dirname "$0")/.."
PYTEST="${PYTEST:-.venv/bin/pytest}"
status=0
if [ "${1:-all}" != "postgres" ]; then
  echo "== pytest on SQLite"
  $PYTEST -n 2 || status=$?
fi
pgdir="$(mktemp -d "${TMPDIR:-/tmp}/appeal-desk-pg.XXXXXX")"
trap 'scripts/postgres.sh stop "$pgdir"; rm -rf "$pgdir"' EXIT
url="$(scripts/postgres.sh start "$pgdir")" || { echo "could not start PostgreSQL"; exit 1; }
echo "== pytest on PostgreSQL (a server of this run's own: $url, data in $pgdir)"
TEST_DATABASE_URL="$url" $PYTEST -n 2 -m "not sqlite_only" || status=$?
exit $status
