#!/usr/bin/env bash
# A private, throw-away PostgreSQL server for one test run:
#   scripts/postgres.sh start DIR   initdb in DIR, start on a free loopback port, print its URL
#   scripts/postgres.sh stop DIR    stop the server whose data is in DIR (nothing else)
# DIR is the caller's own (e.g. from mktemp -d): two runs never share a server, and a server
# started elsewhere (another run, a shared one on a fixed port) is never touched.
set -euo pipefail
action="${1:-}"
dir="${2:-}"
if [ -z "$dir" ] || { [ "$action" != start ] && [ "$action" != stop ]; }; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi
PGBIN="$(dirname "$(ls /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -1)")"
data="$dir/data"
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "$action" = stop ]; then
  if [ -f "$data/postmaster.pid" ]; then
    as_pg "$PGBIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  exit 0
fi

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
mkdir -p "$data"
chmod 755 "$dir"
if [ "$(id -u)" -eq 0 ]; then chown postgres "$data"; fi
as_pg "$PGBIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 >/dev/null
port="$(free_port)"
as_pg "$PGBIN/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $data -c fsync=off -c max_connections=200" \
  start >/dev/null || { echo "PostgreSQL did not start; see $data/server.log" >&2; exit 1; }
echo "$port" >"$dir/port"
echo "postgresql://postgres@127.0.0.1:$port/postgres"
