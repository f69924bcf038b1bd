"""The signatures CSV export of a viral appeal, through gunicorn: time and peak memory.

    .venv/bin/python bench/exports.py [--quick] [--existing N]

Builds a SQLite database with the real migrations, one open appeal with N signatures
(default 1,000,000; --quick 100,000; bench/bulk.py) and an admin; starts gunicorn with
gunicorn.conf.py in production mode; logs in over HTTP like a browser; downloads the CSV
export and checks that every row arrived. The peak memory is the largest high-water mark
(VmHWM in /proc) of gunicorn's processes, next to their resident size before the export
(the baseline of the same run).

Prints `export_1m_s`, `export_1m_peak_rss_mb` (for N = 1,000,000; other N in the name),
`export_rows`, `worker_rss_before_mb`, `export_mb`.
"""

from __future__ import annotations

import argparse
import http.client
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bulk import load_sqlite  # noqa: E402
from sign_load import (  # noqa: E402
    PYTHON,
    ROOT,
    SETUP,
    SLUG,
    TOKEN_RE,
    ServerCpu,
    build_env,
    free_port,
    label,
    start_server,
    stop_server,
)

ADMIN = ("bench-admin@example.org", "a long bench password")
MAKE_ADMIN = r"""
from app import create_app
from app.auth.service import create_user
from app.extensions import db
with create_app().app_context():
    create_user({!r}, {!r}, role="admin")
    db.session.commit()
""".format(*ADMIN)


def memory_mb(pids: list[int], field: str) -> float:
    """The largest `field` (VmRSS, VmHWM) of these processes, in MB."""
    largest = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith(field + ":"):
                    largest = max(largest, int(line.split()[1]))
        except OSError:
            continue
    return largest / 1024


class Session:
    """One keep-alive connection with a cookie, like a coordinator's browser."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        self.cookie = ""

    def request(self, method: str, path: str, fields: dict | None = None):  # noqa: ANN201
        headers = {"Cookie": self.cookie} if self.cookie else {}
        body = None
        if fields is not None:
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        if cookie := response.getheader("Set-Cookie"):
            self.cookie = cookie.split(";", 1)[0]
        return response

    def page(self, path: str) -> str:
        return self.request("GET", path).read().decode()


def export(port: int) -> tuple[float, int, int]:
    """Log in, download the CSV: (seconds, rows, bytes)."""
    session = Session(port)
    token = TOKEN_RE.search(session.page("/login")) or None
    csrf = token.group(1) if token else ""
    session.request("POST", "/login", {"csrf_token": csrf, "email": ADMIN[0],
                                       "password": ADMIN[1]}).read()
    page = session.page(f"/coordinator/appeals/{SLUG}")
    csrf = TOKEN_RE.search(page).group(1)
    started = time.perf_counter()
    response = session.request("POST", f"/coordinator/appeals/{SLUG}/signatures.csv",
                               {"csrf_token": csrf})
    if response.status != 200:
        raise SystemExit(f"export answered {response.status}")
    rows = size = 0
    while chunk := response.read(1 << 16):
        size += len(chunk)
        rows += chunk.count(b"\n")
    return time.perf_counter() - started, rows - 1, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="100,000 signatures")
    parser.add_argument("--existing", type=int, help="signatures (default 1,000,000)")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir")
    args = parser.parse_args()
    existing = args.existing or (100_000 if args.quick else 1_000_000)
    tmp = Path(tempfile.mkdtemp(prefix="appeal-desk-export-"))
    port = free_port()
    env = build_env(tmp, port)
    subprocess.run([str(PYTHON), "-c", SETUP, SLUG], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    load_sqlite(str(tmp / "bench.sqlite3"), appeal_id=1, post_id=1, n=existing)
    # After the load: a cached load replaces the whole database file.
    subprocess.run([str(PYTHON), "-c", MAKE_ADMIN], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = start_server(env, port)
    try:
        pids = ServerCpu(server)._pids()
        before = memory_mb(pids, "VmRSS")
        seconds, rows, size = export(port)
        peak = memory_mb(pids, "VmHWM")
    finally:
        stop_server(server)
    n = label(existing)
    print(f"export_{n}_s: {seconds:.1f}")
    print(f"export_{n}_peak_rss_mb: {peak:.0f}")
    print(f"worker_rss_before_mb: {before:.0f}")
    print(f"export_rows: {rows} (expected {existing})")
    print(f"export_mb: {size / 1e6:.0f}")
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if rows == existing else 1


if __name__ == "__main__":
    sys.exit(main())
