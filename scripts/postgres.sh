#!/usr/bin/env bash
# Start a throw-away PostgreSQL server on a loopback port with its data in a temp dir.
# Prints the DATABASE_URL to use. `scripts/postgres.sh stop` stops it.
set -euo pipefail
PGPORT="${PGPORT:-54329}"
PGDATA="${PGDATA_DIR:-${TMPDIR:-/tmp}/appeal-desk-pg-$PGPORT}"
PGBIN="$(dirname "$(ls /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -1)")"
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ "${1:-start}" = "stop" ]; then
  as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null 2>&1 || true
  exit 0
fi
start_server() {
  as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGDATA -c fsync=off -c max_connections=200" start >/dev/null
}
ready() {
  for _ in $(seq 1 30); do
    "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT" && return 0
    sleep 1
  done
  return 1
}
if ! as_pg "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
  if [ ! -f "$PGDATA/PG_VERSION" ]; then
    mkdir -p "$PGDATA"
    [ "$(id -u)" -eq 0 ] && chown postgres "$PGDATA"
    as_pg "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 >/dev/null
  fi
  start_server
fi
if ! ready; then
  # A server left half-dead by a killed session: stop what is left and start afresh.
  as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate stop >/dev/null 2>&1 || true
  rm -f "$PGDATA/postmaster.pid"
  start_server
  ready || { echo "PostgreSQL did not start; see $PGDATA/server.log" >&2; exit 1; }
fi
echo "postgresql://postgres@127.0.0.1:$PGPORT/postgres"
