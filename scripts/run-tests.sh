#!/usr/bin/env bash
# The whole suite on SQLite, then on a real PostgreSQL server. `run-tests.sh postgres` runs only the latter.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
if [ "${1:-all}" != "postgres" ]; then
  echo "== pytest on SQLite"
  .venv/bin/pytest -n 2 || status=$?
fi
echo "== pytest on PostgreSQL"
url="$(scripts/postgres.sh)" || { echo "could not start PostgreSQL"; exit 1; }
TEST_DATABASE_URL="$url" .venv/bin/pytest -n 2 -m "not sqlite_only" || status=$?
exit $status
