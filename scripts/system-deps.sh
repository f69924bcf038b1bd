#!/usr/bin/env bash
# Install the Debian packages Appeal Desk needs, only those that are missing.
# `system-deps.sh run`: what `make install` needs (a Python that can make a venv, WeasyPrint's
# Pango); without an argument, also what the tests need (`make test`).
# Another apt/dpkg run (unattended upgrades on a fresh VM) is waited for, up to APT_LOCK_WAIT_S
# (default 600) seconds, for the dpkg lock and for the package lists' lock alike.
set -euo pipefail
PYTHON="${PYTHON:-python3}"
need=()
has_lib() { { ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null || true; } | grep -q "$1"; }
# Debian's python3 makes a venv only with python3-venv (it holds ensurepip).
"$PYTHON" -c "import ensurepip, venv" >/dev/null 2>&1 || need+=(python3-venv)
has_lib libpango-1.0.so.0 || need+=(libpango-1.0-0)
has_lib libpangoft2-1.0.so.0 || need+=(libpangoft2-1.0-0)
if [ "${1:-all}" != "run" ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
  { command -v pg_ctl >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; } || need+=(postgresql)
  fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
fi
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
echo "Installing system packages: ${need[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
WAIT_S="${APT_LOCK_WAIT_S:-600}"

# apt-get waiting for the dpkg lock (DPkg::Lock::Timeout), and retried while another process
# holds a lock apt does not wait for by itself (older apt, the lists lock of `update`).
apt_get() {
  local deadline=$((SECONDS + WAIT_S)) output
  while true; do
    if output="$($SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o "DPkg::Lock::Timeout=$WAIT_S" "$@" 2>&1)"; then
      return 0
    fi
    if ! grep -qiE "could not get lock|unable to lock|is another process using it" <<<"$output" \
        || [ "$SECONDS" -ge "$deadline" ]; then
      echo "$output" >&2
      return 1
    fi
    echo "Another apt or dpkg process holds its lock; waiting (up to ${WAIT_S}s)..."
    sleep "${APT_LOCK_RETRY_S:-5}"
  done
}

apt_get update -qq
apt_get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
