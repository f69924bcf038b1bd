"""Signing under load, against gunicorn with the production config, on loopback.

    .venv/bin/python bench/sign_load.py [--quick] [--signers N] [--clients C]

Builds a SQLite (WAL) database with the real migrations and one open appeal in a temp dir,
starts gunicorn with gunicorn.conf.py (APPEAL_DESK_ENV=production, a random SECRET_KEY, rate
limits ON in the app database, TRUSTED_PROXY_COUNT=1 so each simulated signer has its own
X-Forwarded-For), then:

1. signers: C threads run the real flow for N distinct signers: GET the appeal page (CSRF token
   and session cookie), POST the form. Then the database is checked: every signer who got the
   303 is stored exactly once, with exactly one confirmation e-mail in the outbox.
2. bare: the same threads hit /healthz (no database) — the framework's own ceiling.
3. page: the public appeal page (no row counting: Appeal.confirmed_count).
   post-only: the sign endpoint's own rate (pages fetched first, only the POSTs timed).
   For signers, bare and page it also prints the CPU time gunicorn's processes spent per
   request (per signature: its GET and POST), read from /proc: steadier than rates when
   something else shares the machine.
4. concurrent: 200 clients released at once on the same appeal, each GET + POST, 20 of them
   sending the same address as another one; no lost or duplicated signature, no 5xx.

Prints one `name: value` line per figure at the end.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
SLUG = "bench-appeal"
TOKEN_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
RECIPIENT_RE = re.compile(r'name="recipients" type="checkbox" value="(\d+)"')


# --- set-up -----------------------------------------------------------------------------------

SETUP = r"""
import sys
from flask_migrate import upgrade
from app import create_app
from app.extensions import db
from app.models import Appeal, AppealRecipient, Demand, Membership, Organization, Person, Post
from datetime import date

app = create_app()
with app.app_context():
    upgrade(revision="heads")
    org = Organization(slug="kz-gp", name="Prosecutor General's Office", kind="prosecutor", country="KZ")
    post = Post(slug="kz-prosecutor-general", label="Prosecutor General", organization=org,
                salutation="Dear Prosecutor General")
    post.memberships.append(Membership(person=Person(slug="pg", name="Berik Asylov"),
                                       start_date=date(2022, 1, 1)))
    appeal = Appeal(slug=sys.argv[1], title="Free the journalist", summary="On trial for a post.",
                    body_md="The **case** in a few paragraphs.\n\n" * 5, state="open")
    appeal.recipients.append(AppealRecipient(post=post, role="to", position=0))
    appeal.demands.append(Demand(number=1, authority="the Prosecutor General", text="Drop the charges."))
    db.session.add(appeal)
    db.session.commit()
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_env(tmp: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "DATABASE_"))}
    env.update({
        "APPEAL_DESK_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "APPEAL_DESK_INSTANCE": str(tmp / "instance"),
        "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
        "BASE_URL": f"http://127.0.0.1:{port}",
        "TRUSTED_PROXY_COUNT": "1",
        "RATELIMIT_ENABLED": "1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": str(tmp / "access.log"),
        "GUNICORN_ERROR_LOG": str(tmp / "error.log"),
        "PYTHONPATH": str(ROOT),
    })
    return env


def start_server(env: dict[str, str], port: int) -> subprocess.Popen:
    server = subprocess.Popen([str(GUNICORN), "-c", str(ROOT / "gunicorn.conf.py"), "wsgi:app"],
                              cwd=ROOT, env=env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.1)
    stop_server(server)
    log = Path(env["GUNICORN_ERROR_LOG"])
    raise SystemExit("gunicorn did not start:\n" + (log.read_text()[-2000:] if log.exists() else ""))


def stop_server(server: subprocess.Popen) -> None:
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(server.pid, signal.SIGKILL)


# --- clients ----------------------------------------------------------------------------------


class Client:
    """One keep-alive connection, reopened when the server closes it (sync workers do)."""

    def __init__(self, port: int):
        self.port = port
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: str | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.conn.request(method, path, body=body, headers=headers or {})
                response = self.conn.getresponse()
                data = response.read()
                if response.getheader("Connection", "").lower() == "close" or response.will_close:
                    self.conn.close()
                    self.conn = None
                return response.status, {k.lower(): v for k, v in response.getheaders()}, data
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def _ip(index: int) -> str:
    return f"10.{index // 65536 % 256}.{index // 256 % 256}.{index % 256}"


def fetch_form(client: Client, index: int, email: str) -> tuple[int, str, list]:
    """GET the appeal page as signer `index`: (status, session cookie, form fields)."""
    status, headers, body = client.request("GET", f"/a/{SLUG}", headers={"X-Forwarded-For": _ip(index)})
    if status != 200:
        return status, "", []
    html = body.decode()
    cookie = headers.get("set-cookie", "").split(";", 1)[0]
    form = [("csrf_token", TOKEN_RE.search(html).group(1)), ("name", f"Signer {index}"),
            ("email", email), ("country", "KZ"), ("public_display", "none"),
            ("letter_inclusion", "count_only")]
    form += [("recipients", value) for value in RECIPIENT_RE.findall(html)]
    return status, cookie, form


def post_form(client: Client, index: int, cookie: str, form: list) -> tuple[int, float]:
    """POST a filled-in sign form: (status, ms)."""
    started = time.perf_counter()
    status, _headers, _body = client.request(
        "POST", f"/a/{SLUG}", body=urlencode(form),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie,
                 "X-Forwarded-For": _ip(index)})
    return status, (time.perf_counter() - started) * 1000


def sign_once(client: Client, index: int, email: str) -> tuple[int, float]:
    """The real flow: GET the page, POST the form with its token and cookie. (status, POST ms)"""
    status, cookie, form = fetch_form(client, index, email)
    if status != 200:
        return status, 0.0
    return post_form(client, index, cookie, form)


def run_threads(count: int, worker, items: list) -> float:  # noqa: ANN001
    """Run `worker(client, item)` over items on `count` threads; returns the wall time."""
    lock = threading.Lock()
    queue = list(reversed(items))

    def loop(port: int) -> None:
        client = Client(port)
        while True:
            with lock:
                if not queue:
                    return
                item = queue.pop()
            worker(client, item)

    threads = [threading.Thread(target=loop, args=(PORT,)) for _ in range(count)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started


PORT = 0


def bench_signers(signers: int, clients: int, offset: int = 0, prefix: str = "signer") -> dict:
    results: dict[str, tuple[int, float]] = {}

    def work(client: Client, index: int) -> None:
        email = f"{prefix}{index}@bench.example.org"
        results[email] = sign_once(client, index, email)

    wall = run_threads(clients, work, list(range(offset, offset + signers)))
    latencies = sorted(ms for status, ms in results.values() if status == 303)
    return {"wall": wall, "results": results, "latencies": latencies}


def bench_post_only(signers: int, clients: int, offset: int) -> dict:
    """The sign endpoint alone: every signer's page is fetched first, then only the POSTs timed."""
    forms: dict[int, tuple[str, str, list]] = {}

    def fetch(client: Client, index: int) -> None:
        email = f"post{index}@bench.example.org"
        status, cookie, form = fetch_form(client, index, email)
        if status == 200:
            forms[index] = (email, cookie, form)

    run_threads(clients, fetch, list(range(offset, offset + signers)))
    results: dict[str, tuple[int, float]] = {}

    def post(client: Client, index: int) -> None:
        email, cookie, form = forms[index]
        results[email] = post_form(client, index, cookie, form)

    wall = run_threads(clients, post, sorted(forms))
    return {"wall": wall, "results": results}


def bench_get(path: str, requests_: int, clients: int, cookie: bool) -> tuple[float, Counter]:
    statuses: Counter = Counter()
    cookies: dict[int, str] = {}

    def work(client: Client, _i: int) -> None:
        headers = {"X-Forwarded-For": "192.0.2.1"}
        if cookie and id(client) in cookies:
            headers["Cookie"] = cookies[id(client)]
        status, response_headers, _ = client.request("GET", path, headers=headers)
        if cookie and "set-cookie" in response_headers:
            cookies[id(client)] = response_headers["set-cookie"].split(";", 1)[0]
        statuses[status] += 1

    wall = run_threads(clients, work, list(range(requests_)))
    return requests_ / wall, statuses


def bench_concurrent(clients: int, same_pairs: int, offset: int) -> dict:
    """All clients released at once on one appeal; `same_pairs` of them reuse another's address."""
    barrier = threading.Barrier(clients)
    results: list[tuple[str, int]] = []
    lock = threading.Lock()

    def one(index: int) -> None:
        twin = index - clients // 2 if index - offset >= clients - same_pairs else index
        email = f"crowd{twin}@bench.example.org"
        client = Client(PORT)
        barrier.wait()
        status, _ms = sign_once(client, index, email)
        with lock:
            results.append((email, status))

    threads = [threading.Thread(target=one, args=(offset + i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"results": results}


class ServerCpu:
    """CPU seconds (user + system) used by gunicorn's processes, from /proc (Linux).

    Throughput on a shared 2-core machine moves with whatever else runs; CPU time per request
    hardly does, so the bench prints both.
    """

    def __init__(self, server: subprocess.Popen):
        self.root = server.pid

    def _pids(self) -> list[int]:
        try:
            children = Path(f"/proc/{self.root}/task/{self.root}/children").read_text().split()
        except OSError:
            return []
        return [self.root, *map(int, children)]

    def seconds(self) -> float:
        total = 0
        for pid in self._pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime (clock ticks)
        return total / os.sysconf("SC_CLK_TCK")


def cpu_ms_per(cpu: ServerCpu, count: int, run):  # noqa: ANN001
    """Run `run()`; return (its result, the server's CPU ms per item of `count`)."""
    before = cpu.seconds()
    result = run()
    spent = cpu.seconds() - before
    return result, (spent * 1000 / count if count and spent > 0 else float("nan"))


# --- checks -----------------------------------------------------------------------------------


def database_counts(db_path: Path, like: str) -> tuple[Counter, Counter]:
    conn = sqlite3.connect(db_path)
    try:
        rows = Counter(e for (e,) in conn.execute(
            "SELECT email FROM signatures WHERE email LIKE ?", (like,)))
        mails = Counter(e for (e,) in conn.execute(
            "SELECT to_addr FROM outbox_messages WHERE kind = 'confirmation' AND to_addr LIKE ?",
            (like,)))
    finally:
        conn.close()
    return rows, mails


def check(accepted: set[str], rows: Counter, mails: Counter, expected_mails: Counter) -> tuple[int, int]:
    lost = sum(1 for e in accepted if rows[e] == 0) + sum(
        max(0, expected_mails[e] - mails[e]) for e in accepted)
    duplicated = sum(n - 1 for n in rows.values() if n > 1) + sum(
        max(0, mails[e] - expected_mails[e]) for e in mails)
    return lost, duplicated


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def check_access_log(path: Path) -> int:
    """Lines of the access log holding an IPv4 address or an e-mail address in clear."""
    text = path.read_text() if path.exists() else ""
    return len(re.findall(r"\b(?:\d{1,3}\.){3}\d{1,3}\b|[\w.+-]+@[\w-]+\.[\w.]+", text))


def main() -> int:
    global PORT
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smaller run, under a minute")
    parser.add_argument("--signers", type=int)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, help="gunicorn workers (WEB_CONCURRENCY)")
    parser.add_argument("--threads", type=int, help="gunicorn threads per worker")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir")
    args = parser.parse_args()
    signers = args.signers or (1000 if args.quick else 5000)
    gets = 3000 if args.quick else 10000

    tmp = Path(tempfile.mkdtemp(prefix="appeal-desk-bench-"))
    PORT = free_port()
    env = build_env(tmp, PORT)
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    if args.threads:
        env["GUNICORN_THREADS"] = str(args.threads)
    subprocess.run([str(PYTHON), "-c", SETUP, SLUG], cwd=ROOT, env=env, check=True)
    server = start_server(env, PORT)
    try:
        bench_signers(50, args.clients, offset=10_000_000, prefix="warmup")  # warm-up: imports, pools, caches
        cpu = ServerCpu(server)
        run, sign_cpu = cpu_ms_per(cpu, signers, lambda: bench_signers(signers, args.clients))
        (bare_per_s, bare_statuses), bare_cpu = cpu_ms_per(
            cpu, gets, lambda: bench_get("/healthz", gets, args.clients, cookie=False))
        (page_per_s, page_statuses), page_cpu = cpu_ms_per(
            cpu, gets, lambda: bench_get(f"/a/{SLUG}", gets, args.clients, cookie=True))
        posts = bench_post_only(signers // 2, args.clients, offset=30_000_000)
        crowd = bench_concurrent(200, 20, offset=20_000_000)
    finally:
        stop_server(server)

    db_path = tmp / "bench.sqlite3"
    statuses = Counter(status for status, _ms in run["results"].values())
    accepted = {e for e, (status, _ms) in run["results"].items() if status == 303}
    rows, mails = database_counts(db_path, "signer%@bench.example.org")
    lost, duplicated = check(accepted, rows, mails, Counter({e: 1 for e in accepted}))

    crowd_statuses = Counter(status for _e, status in crowd["results"])
    crowd_accepted = Counter(e for e, status in crowd["results"] if status == 303)
    crowd_rows, crowd_mails = database_counts(db_path, "crowd%@bench.example.org")
    # A second POST with the same address is answered the same, stores nothing new, and sends
    # that address a second confirmation link (by design): one row, one e-mail per 303.
    c_lost, c_dup = check(set(crowd_accepted), crowd_rows, crowd_mails, crowd_accepted)

    post_statuses = Counter(status for status, _ms in posts["results"].values())
    post_accepted = {e for e, (status, _ms) in posts["results"].items() if status == 303}
    post_rows, post_mails = database_counts(db_path, "post%@bench.example.org")
    p_lost, p_dup = check(post_accepted, post_rows, post_mails, Counter({e: 1 for e in post_accepted}))
    lost, duplicated = lost + p_lost, duplicated + p_dup
    post_per_s = len(post_accepted) / posts["wall"]
    five_xx = sum(n for s, n in (statuses + bare_statuses + page_statuses + post_statuses).items()
                  if s >= 500)
    sign_per_s = len(accepted) / run["wall"]
    print(f"signers: {signers} (clients {args.clients}); statuses {dict(statuses)}")
    print(f"bare statuses {dict(bare_statuses)}; page statuses {dict(page_statuses)}; "
          f"post-only statuses {dict(post_statuses)}; "
          f"concurrent statuses {dict(crowd_statuses)}")
    print(f"database: {tmp / 'bench.sqlite3'}")
    print(f"signatures_per_s: {sign_per_s:.0f}")
    print(f"sign_p50_ms: {percentile(run['latencies'], 50):.1f}")
    print(f"sign_p99_ms: {percentile(run['latencies'], 99):.1f}")
    print(f"bare_per_s: {bare_per_s:.0f}")
    print(f"sign_vs_bare: {sign_per_s / bare_per_s:.2f}")
    print(f"flow_requests_vs_bare: {2 * sign_per_s / bare_per_s:.2f}")
    print(f"sign_post_per_s: {post_per_s:.0f}")
    print(f"sign_post_vs_bare: {post_per_s / bare_per_s:.2f}")
    print(f"lost: {lost}")
    print(f"duplicated: {duplicated}")
    print(f"errors_5xx: {five_xx}")
    print(f"page_per_s: {page_per_s:.0f}")
    print(f"server_cpu_ms_per_bare: {bare_cpu:.3f}")
    print(f"server_cpu_ms_per_page: {page_cpu:.3f}")
    print(f"server_cpu_ms_per_signature: {sign_cpu:.3f}")
    print(f"cpu_bare_vs_signature: {bare_cpu / sign_cpu:.2f}")
    print(f"access_log_clear_ips_or_emails: {check_access_log(tmp / 'access.log')}")
    print(f"concurrent_lost: {c_lost}")
    print(f"concurrent_duplicated: {c_dup}")
    print(f"concurrent_5xx: {sum(n for s, n in crowd_statuses.items() if s >= 500)}")
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if lost == c_lost == duplicated == c_dup == five_xx == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
