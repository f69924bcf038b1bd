"""Signing under load, against gunicorn with the production config, on loopback.

    .venv/bin/python bench/sign_load.py [--quick] [--existing N] [--signers N] [--clients C]
    .venv/bin/python bench/sign_load.py --sealing [--signers N]

Runs everything twice in one run: on an appeal with no signatures, then on one with N existing
signatures bulk-loaded first (default 1,000,000; 80 % confirmed, realistic choices: bench/bulk.py).
Each time it builds a SQLite (WAL) database with the real migrations and one open appeal in a
temp dir, starts gunicorn with gunicorn.conf.py (APPEAL_DESK_ENV=production, a random
SECRET_KEY, rate limits ON in the app database, TRUSTED_PROXY_COUNT=1 so each simulated signer
has its own X-Forwarded-For), then:

1. signers: C threads run the real flow for S distinct signers: GET the appeal page (CSRF token
   and session cookie), POST the form. Then the database is checked: every signer who got the
   303 is stored exactly once, with exactly one confirmation e-mail in the outbox.
2. page: the public appeal page, cached (PUBLIC_PAGE_CACHE_S=2), quiet and then while a thread
   confirms 2 signatures a second through the real confirmation page (churn).
3. uncached page: the server restarted with the cache off; the CPU time gunicorn spends a page.
4. (empty appeal only) bare: /healthz, the framework's own floor; concurrent: 200 clients
   released at once on the same appeal, each GET + POST, 20 of them sending the same address as
   another one; no lost or duplicated signature, no 5xx.

`--sealing` instead measures what sealing signers' details costs (issue 19), in one run on
one server: the same signing flow on the appeal while its organisation has no key (only the
signer's own copy is sealed: "sealing off") and while it has one (the details also sealed to
the organisation: "sealing on"), alternated in rounds so that load drifts hit both alike.
It prints `sign_per_s_unsealed`, `sign_per_s_sealed`, `sealing_cost` (the share of throughput
lost, target at most 0.20) and the CPU each costs a signature.

CPU times come from /proc: steadier than rates when something else shares the machine.
Prints one `name: value` line per figure at the end; figures on the loaded appeal end in its
size (`_1m` for 1,000,000).
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bulk import load_sqlite  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
SLUG = "bench-appeal"
TOKEN_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
RECIPIENT_RE = re.compile(r'name="recipients" type="checkbox" value="(\d+)"')
CONFIRM_RE = re.compile(r"/confirm/([A-Za-z0-9_-]+)")


# --- set-up -----------------------------------------------------------------------------------

SETUP = r"""
import sys
from flask_migrate import upgrade
from app import create_app
from app.extensions import db
from app.models import (Appeal, AppealRecipient, Demand, Group, Membership, Organization,
                        Person, Post)
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
                    body_md="The **case** in a few paragraphs.\n\n" * 5, state="open",
                    group=Group(slug="bench-group", name="Bench Group"))
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


def sign_once(client: Client, index: int, email: str) -> tuple[int, float, float]:
    """The real flow: GET the page, POST the form with its token and cookie.

    (status, POST ms, whole flow ms)."""
    started = time.perf_counter()
    status, cookie, form = fetch_form(client, index, email)
    if status != 200:
        return status, 0.0, 0.0
    status, post_ms = post_form(client, index, cookie, form)
    return status, post_ms, (time.perf_counter() - started) * 1000


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
    results: dict[str, tuple[int, float, float]] = {}

    def work(client: Client, index: int) -> None:
        email = f"{prefix}{index}@bench.example.org"
        results[email] = sign_once(client, index, email)

    wall = run_threads(clients, work, list(range(offset, offset + signers)))
    accepted = [r for r in results.values() if r[0] == 303]
    return {"wall": wall, "results": results, "latencies": sorted(r[1] for r in accepted),
            "flows": sorted(r[2] for r in accepted)}


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
        status, _ms, _flow = sign_once(client, index, email)
        with lock:
            results.append((email, status))

    threads = [threading.Thread(target=one, args=(offset + i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"results": results}


def confirmation_tokens(db_path: Path) -> list[str]:
    """The raw tokens in the confirmation e-mails waiting in the outbox (the bench's signers)."""
    conn = sqlite3.connect(db_path)
    try:
        bodies = [b for (b,) in conn.execute(
            "SELECT body_text FROM outbox_messages WHERE kind = 'confirmation' ORDER BY id")]
    finally:
        conn.close()
    return [m.group(1) for b in bodies if (m := CONFIRM_RE.search(b))]


def confirm_once(client: Client, token: str) -> int:
    """Confirm through the real page: GET it (CSRF token, cookie), press the button."""
    status, headers, body = client.request("GET", f"/confirm/{token}")
    if status != 200:
        return status
    cookie = headers.get("set-cookie", "").split(";", 1)[0]
    csrf = TOKEN_RE.search(body.decode()).group(1)
    status, _headers, _body = client.request(
        "POST", f"/confirm/{token}", body=urlencode({"csrf_token": csrf}),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    return status


def bench_churn(requests_: int, clients: int, tokens: list[str], per_s: float) -> tuple:
    """The page's rate while `per_s` confirmations a second land: (rate, statuses, confirms)."""
    stop = threading.Event()
    confirms: Counter = Counter()

    def confirmer() -> None:
        client, due = Client(PORT), time.monotonic()
        for token in tokens:
            if stop.is_set():
                return
            confirms[confirm_once(client, token)] += 1
            due += 1 / per_s
            stop.wait(max(0.0, due - time.monotonic()))

    thread = threading.Thread(target=confirmer)
    thread.start()
    rate, statuses = bench_get(f"/a/{SLUG}", requests_, clients, cookie=True)
    stop.set()
    thread.join()
    return rate, statuses, confirms


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


def label(n: int) -> str:
    return "1m" if n == 1_000_000 else (f"{n // 1000}k" if n % 1000 == 0 and n else str(n))


def prepare(existing: int, args: argparse.Namespace) -> tuple[Path, dict, dict]:
    """A temp dir with a migrated database, the open appeal and `existing` signatures."""
    global PORT
    tmp = Path(tempfile.mkdtemp(prefix="appeal-desk-bench-"))
    PORT = free_port()
    env = build_env(tmp, PORT)
    env.update({k: str(v) for k, v in (("WEB_CONCURRENCY", args.workers),
                                       ("GUNICORN_THREADS", args.threads)) if v})
    subprocess.run([str(PYTHON), "-c", SETUP, SLUG], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    fig: dict = {}
    if existing:
        started = time.perf_counter()
        load_sqlite(str(tmp / "bench.sqlite3"), appeal_id=1, post_id=1, n=existing)
        fig["bulk_load_s"] = time.perf_counter() - started
    return tmp, env, fig


def cached_phases(env: dict, args: argparse.Namespace, sizes: dict, existing: int,
                  db_path: Path, fig: dict) -> dict:
    """Signers, the cached page quiet and under churn (and bare, crowd on the empty appeal)."""
    out: dict = {}
    server = start_server(env, PORT)
    try:
        bench_signers(50, args.clients, offset=10_000_000, prefix="warmup")  # imports, pools
        cpu = ServerCpu(server)
        out["run"], fig["cpu_ms_per_signature"] = cpu_ms_per(
            cpu, sizes["signers"], lambda: bench_signers(sizes["signers"], args.clients))
        (fig["page_per_s"], out["page"]), fig["cpu_ms_per_page"] = cpu_ms_per(
            cpu, sizes["gets"], lambda: bench_get(f"/a/{SLUG}", sizes["gets"], args.clients, True))
        fig["page_per_s_churn"], out["churn"], out["confirms"] = bench_churn(
            sizes["gets"], args.clients, confirmation_tokens(db_path), per_s=2.0)
        if not existing:
            (fig["bare_per_s"], out["bare"]), fig["cpu_ms_per_bare"] = cpu_ms_per(
                cpu, sizes["gets"], lambda: bench_get("/healthz", sizes["gets"], args.clients, False))
            out["crowd"] = bench_concurrent(200, 20, offset=20_000_000)
    finally:
        stop_server(server)
    return out


def uncached_phase(env: dict, sizes: dict, fig: dict) -> Counter:
    """The server restarted with the page cache off: CPU time a page costs."""
    server = start_server({**env, "PUBLIC_PAGE_CACHE_S": "0"}, PORT)
    try:
        bench_get(f"/a/{SLUG}", 20, 2, cookie=True)  # warm-up
        (_rate, statuses), fig["page_cpu_ms_uncached"] = cpu_ms_per(
            ServerCpu(server), sizes["uncached"],
            lambda: bench_get(f"/a/{SLUG}", sizes["uncached"], 2, cookie=True))
    finally:
        stop_server(server)
    return statuses


def scenario(existing: int, args: argparse.Namespace, sizes: dict) -> dict:
    """One database, one appeal with `existing` signatures: every figure on it."""
    tmp, env, fig = prepare(existing, args)
    db_path = tmp / "bench.sqlite3"
    out = cached_phases(env, args, sizes, existing, db_path, fig)
    uncached = uncached_phase(env, sizes, fig)
    run = out["run"]
    statuses = Counter(r[0] for r in run["results"].values())
    accepted = {e for e, r in run["results"].items() if r[0] == 303}
    rows, mails = database_counts(db_path, "signer%@bench.example.org")
    fig["lost"], fig["duplicated"] = check(accepted, rows, mails, Counter({e: 1 for e in accepted}))
    fig["sign_per_s"] = len(accepted) / run["wall"]
    fig["sign_p50_ms"] = percentile(run["latencies"], 50)
    fig["sign_p99_ms"] = percentile(run["latencies"], 99)
    fig["flow_p99_ms"] = percentile(run["flows"], 99)
    every = statuses + out["page"] + out["churn"] + uncached + out["confirms"]
    if not existing:
        every += out["bare"]
        crowd = out["crowd"]["results"]
        crowd_statuses = Counter(status for _e, status in crowd)
        crowd_accepted = Counter(e for e, status in crowd if status == 303)
        crowd_rows, crowd_mails = database_counts(db_path, "crowd%@bench.example.org")
        # A second POST with the same address stores nothing new and sends that address a
        # second confirmation link (by design): one row, one e-mail per 303.
        fig["concurrent_lost"], fig["concurrent_duplicated"] = check(
            set(crowd_accepted), crowd_rows, crowd_mails, crowd_accepted)
        fig["concurrent_5xx"] = sum(n for s, n in crowd_statuses.items() if s >= 500)
        fig["access_log_clear_ips_or_emails"] = check_access_log(tmp / "access.log")
    fig["errors_5xx"] = sum(n for s, n in every.items() if s >= 500)
    fig["confirmations"] = out["confirms"][200]
    print(f"existing {existing}: signers {dict(statuses)}; page {dict(out['page'])}; churn "
          f"{dict(out['churn'])}; confirmations {dict(out['confirms'])}; uncached {dict(uncached)}",
          file=sys.stderr)
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    return fig


def report(empty: dict, loaded: dict, existing: int) -> int:
    """Print the figures; the number of lost, duplicated and failed requests."""
    n = label(existing)
    for name in ("sign_per_s", "sign_p50_ms", "sign_p99_ms", "flow_p99_ms", "page_per_s",
                 "page_per_s_churn", "page_cpu_ms_uncached", "cpu_ms_per_signature",
                 "cpu_ms_per_page"):
        print(f"{name}_0: {empty[name]:.1f}")
        print(f"{name}_{n}: {loaded[name]:.1f}")
    print(f"sign_growth: {loaded['sign_per_s'] / empty['sign_per_s']:.2f}")
    if existing:
        print(f"bulk_load_{n}_s: {loaded['bulk_load_s']:.1f}")
    print(f"bare_per_s: {empty['bare_per_s']:.0f}")
    print(f"server_cpu_ms_per_bare: {empty['cpu_ms_per_bare']:.3f}")
    bad = 0
    for name in ("lost", "duplicated", "errors_5xx"):
        total = empty[name] + (loaded[name] if existing else 0)
        bad += total
        print(f"{name}: {total}")
    print(f"confirmations_during_churn: {empty['confirmations'] + loaded['confirmations']}")
    for name in ("concurrent_lost", "concurrent_duplicated", "concurrent_5xx"):
        bad += empty[name]
        print(f"{name}: {empty[name]}")
    print(f"access_log_clear_ips_or_emails: {empty['access_log_clear_ips_or_emails']}")
    return bad


def set_organisation_key(db_path: Path, public_key: bytes | None) -> None:
    """Give the bench appeal's organisation a public key (sealing on), or none (off)."""
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE groups SET public_key = ?", (public_key,))
    conn.close()


def sealing_run(args: argparse.Namespace, signers: int, rounds: int = 3) -> dict:
    """Signers with sealing off and on, alternated on one server: rate and CPU of each."""
    from nacl.public import PrivateKey

    public_key = bytes(PrivateKey.generate().public_key)
    tmp, env, _fig = prepare(0, args)
    db_path = tmp / "bench.sqlite3"
    totals = {mode: {"signed": 0, "wall": 0.0, "cpu_s": 0.0} for mode in ("unsealed", "sealed")}
    server = start_server(env, PORT)
    try:
        bench_signers(50, args.clients, offset=10_000_000, prefix="warmup")
        cpu = ServerCpu(server)
        for number in range(rounds):
            for mode in ("unsealed", "sealed"):
                set_organisation_key(db_path, public_key if mode == "sealed" else None)
                before = cpu.seconds()
                run = bench_signers(signers // rounds, args.clients,
                                    offset=(number * 2 + (mode == "sealed")) * 1_000_000,
                                    prefix=mode)
                totals[mode]["cpu_s"] += cpu.seconds() - before
                totals[mode]["wall"] += run["wall"]
                totals[mode]["signed"] += len(run["latencies"])
    finally:
        stop_server(server)
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return totals


def crypto_ms_per_signature(repeat: int = 2000) -> float:
    """The sealing a signature does (sealed box to the organisation + own copy), in process:
    a figure the machine's load hardly moves."""
    sys.path.insert(0, str(ROOT))
    from nacl.public import PrivateKey

    from app.sealing.boxes import SignerDetails, seal, seal_own_copy

    public_key = bytes(PrivateKey.generate().public_key)
    details = SignerDetails("Signer Name", "signer@bench.example.org", "Almaty", "Free him.")
    started = time.process_time()
    for _ in range(repeat):
        seal(details, public_key)
        seal_own_copy(details, "x" * 43)
    return (time.process_time() - started) * 1000 / repeat


def sealing_report(totals: dict) -> int:
    """Print the sealing figures; 1 if sealing costs more than 20 % of signing throughput."""
    rate = {mode: t["signed"] / t["wall"] for mode, t in totals.items()}
    cpu = {mode: t["cpu_s"] * 1000 / max(t["signed"], 1) for mode, t in totals.items()}
    for mode in totals:
        print(f"sign_per_s_{mode}: {rate[mode]:.1f}")
        print(f"cpu_ms_per_signature_{mode}: {cpu[mode]:.2f}")
    cost = 1 - rate["sealed"] / rate["unsealed"]
    print(f"sealing_cost: {cost:.3f}")
    crypto = crypto_ms_per_signature()
    print(f"crypto_ms_per_signature: {crypto:.3f}")
    # The steadier figure on a shared machine: the crypto's share of a signature's server CPU.
    print(f"sealing_cost_cpu: {crypto / cpu['unsealed']:.3f}")
    return 0 if cost <= 0.20 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller: 100,000 existing signatures")
    parser.add_argument("--existing", type=int, help="signatures loaded first (default 1,000,000)")
    parser.add_argument("--signers", type=int)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, help="gunicorn workers (WEB_CONCURRENCY)")
    parser.add_argument("--threads", type=int, help="gunicorn threads per worker")
    parser.add_argument("--keep", action="store_true", help="keep the temp dirs")
    parser.add_argument("--sealing", action="store_true",
                        help="only signing with sealing off and on, in one run (issue 19)")
    args = parser.parse_args()
    if args.sealing:
        return sealing_report(sealing_run(args, args.signers or 1500))
    existing = args.existing if args.existing is not None else (
        100_000 if args.quick else 1_000_000)
    sizes = {"signers": args.signers or (1000 if args.quick else 5000),
             "gets": 3000 if args.quick else 10000, "uncached": 100 if args.quick else 300}
    empty = scenario(0, args, sizes)
    loaded = scenario(existing, args, sizes) if existing else empty
    print(f"clients: {args.clients}; signers per run: {sizes['signers']}; existing: {existing}")
    return 0 if report(empty, loaded, existing) == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
